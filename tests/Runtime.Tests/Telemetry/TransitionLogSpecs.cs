using Akka.Configuration;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using XStateNet.Actors.Configuration;
using Xunit.Abstractions;

namespace XStateNet.Actors.Tests.Telemetry;

/// <summary>Transitions are logged at Debug: which machine, on which event, from which states to which.</summary>
public sealed class TransitionLogSpecs(ITestOutputHelper output)
    : TestKit(ConfigurationFactory.ParseString("akka.loglevel = DEBUG").WithFallback(XStateNetConfig.Default), "transition-log", output)
{
    [Fact]
    public void A_transition_is_logged_at_debug_with_machine_event_and_states_and_an_ignored_event_is_not()
    {
        var door = EventFilter.Debug(contains: "Machine 'logged-door' on 'xstate.init': (none) -> closed").ExpectOne(() =>
            Sys.SpawnMachine("logged-door", """
                { "initial": "closed", "states": { "closed": { "on": { "OPEN": "open" } }, "open": { "on": { "CLOSE": "closed" } } } }
                """, new Dictionary<string, Action<OrchestratedContext>>()));

        EventFilter.Debug(contains: "Machine 'logged-door' on 'OPEN': closed -> open").ExpectOne(() => door.Tell(new MachineEvent("OPEN")));
        EventFilter.Debug(contains: "Machine 'logged-door'").Expect(0, TimeSpan.FromMilliseconds(500), () => door.Tell(new MachineEvent("OPEN")));
    }
}
