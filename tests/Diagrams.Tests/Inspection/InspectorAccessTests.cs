using System.Net;
using System.Text.Json;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using XStateNet.Actors.Hosting;
using XStateNet.Actors.Inspection;

namespace XStateNet.Actors.Diagrams.Tests.Inspection;

/// <summary>The inspector's HTTP side: owner-only (token, loopback Host), read-only, and the data the page draws.</summary>
public sealed class InspectorAccessTests
{
    private static Uri At(MachineInspector inspector, string pathAndQuery) => new(inspector.Url, pathAndQuery);

    private static string Token(MachineInspector inspector) => inspector.Url.Query["?token=".Length..];

    [Fact]
    public async Task The_page_and_its_data_answer_only_with_the_token_on_loopback()
    {
        await using var node = await InspectedNode.StartAsync();
        using var http = new HttpClient();

        Assert.Equal(IPAddress.Loopback.ToString(), node.Inspector.Url.Host);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(node.Inspector.Url)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(At(node.Inspector, "/api/machines"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(At(node.Inspector, "/api/machines?token=guess"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(At(node.Inspector, "/?token=" + Token(node.Inspector)[..^1]))).StatusCode);

        // A page elsewhere reaching 127.0.0.1 through a DNS name of its own (DNS rebinding) is refused.
        using var rebound = new HttpRequestMessage(HttpMethod.Get, At(node.Inspector, "/api/machines?token=" + Token(node.Inspector)));
        rebound.Headers.Host = $"attacker.example:{node.Inspector.Port}";
        Assert.Equal(HttpStatusCode.MisdirectedRequest, (await http.SendAsync(rebound)).StatusCode);

        var post = await http.PostAsync(At(node.Inspector, "/api/machines?token=" + Token(node.Inspector)), new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task The_data_lists_each_machine_with_its_chart_active_states_context_and_last_events()
    {
        await using var node = await InspectedNode.StartAsync();
        node.Door.Tell(new MachineEvent("OPEN"));
        await node.Door.Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10)); // OPEN handled

        using var http = new HttpClient();
        using var json = JsonDocument.Parse(await http.GetStringAsync(At(node.Inspector, "/api/machines?token=" + Token(node.Inspector))));
        var machines = json.RootElement.GetProperty("machines").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);

        Assert.Equal(new[] { "door", "light" }, machines.Keys.Order());
        var door = machines["door"];
        Assert.Equal(node.System.Name, door.GetProperty("node").GetString());
        Assert.Equal("open", door.GetProperty("activeStates")[0].GetString());
        Assert.Equal(1, door.GetProperty("context").GetProperty("opened").GetInt64());
        Assert.Contains("data-path=\"open\"", door.GetProperty("svg").GetString());
        Assert.Contains(door.GetProperty("lastEvents").EnumerateArray(), e => e.GetProperty("name").GetString() == "OPEN");
        Assert.Equal("off", machines["light"].GetProperty("activeStates")[0].GetString());
    }

    [Fact]
    public async Task WithInspector_starts_with_the_host_and_stops_with_it()
    {
        using var host = new HostBuilder()
            .ConfigureServices(services => services.AddAkka("hosted-" + Guid.NewGuid().ToString("N")[..8], builder => builder
                .WithMachine("light", InspectedNode.LightChart, new Dictionary<string, Action<OrchestratedContext>>())
                .WithInspector()))
            .Build();
        await host.StartAsync();
        var system = host.Services.GetRequiredService<ActorSystem>();
        MachineInspector? inspector;
        // What the inspector's address answers in the last phase before the actor system terminates: by then it must
        // have stopped serving (it stops in service-unbind), not answer for a system that is going away.
        var lastPhase = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            inspector = MachineInspector.Of(system);
            Assert.NotNull(inspector);
            using var http = new HttpClient();
            var body = await http.GetStringAsync(At(inspector, "/api/machines?token=" + Token(inspector)));
            Assert.Contains("\"id\":\"light\"", body);
            var url = At(inspector, "/api/machines?token=" + Token(inspector));
            CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "spec-probe", async () =>
            {
                try
                {
                    using var probe = new HttpClient();
                    using var response = await probe.GetAsync(url);
                    lastPhase.TrySetResult(response.IsSuccessStatusCode ? $"served: {(int)response.StatusCode}" : "refused");
                }
                catch (HttpRequestException)
                {
                    lastPhase.TrySetResult("not listening");
                }
                return Done.Instance;
            });
        }
        finally
        {
            await host.StopAsync();
        }
        await system.WhenTerminated;
        Assert.Null(MachineInspector.Of(system));
        // Another spec's inspector running in parallel may have been given the port since: "refused" is its answer.
        Assert.Contains(await lastPhase.Task.WaitAsync(TimeSpan.FromSeconds(10)), new[] { "not listening", "refused" });
    }

    [Fact]
    public async Task A_second_inspector_for_the_same_actor_system_is_refused()
    {
        await using var node = await InspectedNode.StartAsync();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => MachineInspector.StartAsync(node.System));
        Assert.Contains(node.System.Name, error.Message);
        Assert.Same(node.Inspector, MachineInspector.Of(node.System));
    }

    [Fact]
    public void Options_out_of_range_are_refused_while_configuring_with_their_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AkkaConfigurationBuilder(new ServiceCollection(), "x").WithInspector(port: 70000));
        Assert.Contains("InspectorOptions.Port", error.Message);
    }

    private static async Task AssertEventually(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++) await Task.Delay(50);
        Assert.True(condition());
    }
}
