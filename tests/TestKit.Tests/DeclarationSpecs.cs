using XStateNet.Actors.TestKit.Protocol;

namespace XStateNet.Actors.TestKit.Tests;

/// <summary>What the TestKit refuses before any process starts.</summary>
public sealed class DeclarationSpecs
{
    [Fact]
    public void Every_problem_of_a_declaration_is_listed_at_once()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new BadlyDeclaredRoles().Validate());
        Assert.Contains("machine id 'same' is hosted by more than one role (one, two)", error.Message);
        Assert.Contains("hosts a machine 'probe'", error.Message);
        Assert.Contains("role 'no spaces allowed' is not a valid actor system name", error.Message);
    }

    [Fact]
    public void A_remote_assertion_that_captures_a_variable_is_refused_with_what_it_captures()
    {
        var expected = 3L;
        Func<NodeContext, Task> capturing = _ => expected == 3 ? Task.CompletedTask : Task.CompletedTask;
        var error = Assert.Throws<ArgumentException>(() => RemoteCall.Encode(capturing, withArgument: false, argument: null));
        Assert.Contains("captures expected", error.Message);
    }

    [Fact]
    public async Task A_static_lambda_travels_as_its_method_and_runs_again_from_the_names()
    {
        Func<NodeContext, string, Task> assertion = static (_, text) => text == "ok" ? Task.CompletedTask : throw new InvalidOperationException(text);
        var call = RemoteCall.Encode(assertion, withArgument: true, argument: "ok");
        Assert.Equal(typeof(DeclarationSpecs).Assembly, Type.GetType(call.TypeName)!.Assembly);
        var failing = call with { Argument = "refused" };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => RemoteCall.Invoke(failing, null!));
        Assert.Equal("refused", error.Message);
        await RemoteCall.Invoke(call, null!);
    }
}
