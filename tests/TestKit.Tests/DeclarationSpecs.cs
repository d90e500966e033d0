using XStateNet.Actors.TestKit.Protocol;
using XStateNet.Actors.TestKit.Transports;

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
    public void A_route_to_an_undeclared_role_is_refused_naming_both()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new MisroutedRoles().Validate());
        Assert.Contains("role 'one' routes 'next' to role 'nowhere', which is not declared", error.Message);
    }

    [Fact]
    public void Declared_routes_win_and_a_role_without_routes_gets_only_the_probe()
    {
        var config = new RoutedRoles();
        config.Validate();
        var plan = new NodePlan(config, TransportCatalogue.Get("pipe"), new RunNames());

        var one = plan.RoleHocon(config["one"], "akka.pipe://test@localhost:1/user/testkit-probe");
        Assert.Contains($"xstatenet.machines.\"b\" = \"{plan.AddressOf("two")}/user/b\"", one);
        Assert.EndsWith($"xstatenet.machines.\"next\" = \"{plan.AddressOf("two")}/user/b\"\nxstatenet.machines.\"probe\" = \"akka.pipe://test@localhost:1/user/testkit-probe\"", one);

        var two = plan.RoleHocon(config["two"], "akka.pipe://test@localhost:1/user/testkit-probe");
        Assert.Single(two.Split('\n'), line => line.StartsWith("xstatenet.machines.", StringComparison.Ordinal));

        var before = plan.AddressOf("two");
        var moved = plan.Relocate("two");
        Assert.NotEqual(before.Port, moved.Port);
        Assert.Equal(moved, plan.AddressOf("two"));
        Assert.Contains($"\"{moved}/user/b\"", plan.RoleHocon(config["one"], "p"));
    }

    [Fact]
    public void With_the_host_directory_an_id_may_have_two_homes_and_only_declared_routes_are_written()
    {
        var config = new DirectoryRoles();
        config.Validate();
        var plan = new NodePlan(config, TransportCatalogue.Get("pipe"), new RunNames());

        Assert.DoesNotContain("xstatenet.machines.", plan.TestNodeHocon());
        Assert.DoesNotContain("xstatenet.machines.\"sink\"", plan.RoleHocon(config["first"], "p"));
        Assert.Contains($"xstatenet.machines.\"alias\" = \"{plan.AddressOf("first")}/user/sink\"", plan.RoleHocon(config["second"], "p"));
        Assert.Contains("name the role", Assert.Throws<ArgumentException>(() => plan.RoleHosting("sink")).Message);
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
