using Akka.Actor;
using Akka.Configuration;
using Akka.Remote;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// Refuses to run machines on a node with remoting whose machine events would cross processes through another
/// serializer than the runtime's: without the runtime's reference.conf, Akka's fallback for every type (Newtonsoft
/// JSON) would take them silently, and anonymous payloads, actor refs and typed payloads would arrive changed.
/// </summary>
internal static class MachineEventBinding
{
    /// <summary>Checks the bindings of <see cref="MachineEvent"/> and of the pre-encoded events machines send.</summary>
    /// <exception cref="ConfigurationException">A binding is missing or points elsewhere; the message says how to fix it.</exception>
    public static void Check(ActorSystem system)
    {
        ArgumentNullException.ThrowIfNull(system);
        if (((ExtendedActorSystem)system).Provider is not IRemoteActorRefProvider) return; // nothing leaves the process
        var serialization = system.Serialization;
        var events = serialization.FindSerializerForType(typeof(MachineEvent));
        var encoded = serialization.FindSerializerForType(typeof(EncodedMachineEvent));
        if (events is MachineEventSerializer && encoded is EncodedMachineEventSerializer) return;
        var wrong = events is MachineEventSerializer ? (Type: typeof(EncodedMachineEvent), Serializer: encoded) : (Type: typeof(MachineEvent), Serializer: events);
        throw new ConfigurationException(
            $"akka.actor.serialization-bindings: machine events ({wrong.Type.FullName}) would cross processes with " +
            $"{wrong.Serializer.GetType().FullName} instead of the runtime's serializer. Put the runtime's configuration " +
            "behind yours (config.WithFallback(XStateNet.Actors.Configuration.XStateNetConfig.Default), or Akka.Hosting's " +
            "WithXStateNet()), and do not bind these types to another serializer.");
    }
}
