using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;

namespace XStateNet.Actors.TestKit.Tests;

/// <summary>What a role's set-up does on the node's actor system, checked in this process (a child does the same).</summary>
public sealed class RoleSetUpSpecs() : Akka.TestKit.Xunit2.TestKit(
    ConfigurationFactory.ParseString("kit-spec.first-state = ready").WithFallback(XStateNetConfig.Default), "setup")
{
    [Fact]
    public async Task A_machine_made_from_the_node_s_system_takes_the_node_s_own_settings()
    {
        var config = new SettingsRoles();
        config.Validate();
        Assert.Equal(["reader"], config["reader"].MachineIds); // routed by id like any other machine

        config["reader"].SetUp(Sys);
        var snapshot = await Sys.ActorSelection("/user/reader").Ask<MachineSnapshot>(GetMachineSnapshot.Instance, TimeSpan.FromSeconds(10));
        Assert.Equal(["ready"], snapshot.ActiveStates);
    }

    /// <summary>A role whose machine starts in the state its node's HOCON names (what a spec's ConfigureRole would set).</summary>
    private sealed class SettingsRoles : MultiNodeConfig
    {
        public SettingsRoles() =>
            Role("reader").Machine("reader", system => new MachineDefinition("reader", $$"""
                { "id": "reader", "initial": "{{system.Settings.Config.GetString("kit-spec.first-state")}}", "states": { "idle": {}, "ready": {} } }
                """));
    }
}
