using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Serialization;
using Akka.Serialization.Hyperion;
using Hyperion;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Serialization;
using HyperionSerializer = XStateNet.Actors.Serialization.HyperionSerializer;

namespace XStateNet.Actors.Tests.Serialization;

/// <summary>
/// The runtime's Hyperion serializer is Akka.Serialization.Hyperion's, configured by that package's section and
/// setup: its keys reach Hyperion, its spelling is the only one, and the runtime's guard stays on every read.
/// </summary>
public sealed class HyperionPackageSettingsSpecs
{
    [Fact]
    public async Task The_bound_serializer_is_the_package_serializer_under_its_usual_name_and_section()
    {
        var system = ActorSystem.Create("package-hyperion", XStateNetConfig.Default);
        try
        {
            var bound = system.Serialization.FindSerializerForType(typeof(object));
            var ours = Assert.IsType<HyperionSerializer>(bound);
            Assert.IsAssignableFrom<Akka.Serialization.HyperionSerializer>(bound);
            Assert.Equal("akka.actor.serialization-settings.hyperion", HyperionSettings.Section);
            Assert.True(ours.Settings.DisallowUnsafeType);          // the package's own settings object
            Assert.True(ours.RuntimeSettings.DisallowUnsafeTypes);
            Assert.Equal(HyperionSettings.DefaultMaxDepth, ours.RuntimeSettings.MaxDepth);
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void The_package_keys_are_read_by_the_package()
    {
        var settings = HyperionSettings.From(ConfigurationFactory.ParseString($$"""
            disallow-unsafe-type = off
            preserve-object-references = off
            version-tolerance = off
            known-types-provider = "{{typeof(ShopKnownTypes).AssemblyQualifiedName}}"
            surrogates = ["{{typeof(TemperatureSurrogate).AssemblyQualifiedName}}"]
            """));
        Assert.False(settings.DisallowUnsafeTypes);
        Assert.False(settings.PreserveObjectReferences);
        Assert.False(settings.VersionTolerance);
        Assert.Equal(typeof(ShopKnownTypes), settings.Engine.KnownTypesProvider);
        Assert.IsType<TemperatureSurrogate>(Assert.Single(settings.Engine.Surrogates));
    }

    [Fact]
    public async Task A_surrogate_and_known_types_from_hocon_are_used_on_the_wire()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.actor.serialization-settings.hyperion {
              known-types-provider = "{{typeof(ShopKnownTypes).AssemblyQualifiedName}}"
              surrogates = ["{{typeof(TemperatureSurrogate).AssemblyQualifiedName}}"]
            }
            """).WithFallback(XStateNetConfig.Default);
        var system = ActorSystem.Create("package-hyperion-keys", config);
        var plain = ActorSystem.Create("package-hyperion-plain", XStateNetConfig.Default);
        try
        {
            var serializer = system.Serialization.FindSerializerForType(typeof(object));
            var value = new Temperature(21.5m);
            var bytes = serializer.ToBinary(value);
            Assert.Equal(value, serializer.FromBinary(bytes, null));
            Assert.True(TemperatureSurrogate.Written > 0);     // the HOCON surrogate wrote it
            // A known type is written as a number, not its name: shorter than what a node without the provider writes.
            var withoutProvider = plain.Serialization.FindSerializerForType(typeof(object)).ToBinary(new OrderPlaced("o-1"));
            var withProvider = serializer.ToBinary(new OrderPlaced("o-1"));
            Assert.True(withProvider.Length < withoutProvider.Length, $"{withProvider.Length} bytes with the known type, {withoutProvider.Length} without");
            Assert.Equal(new OrderPlaced("o-1"), serializer.FromBinary(withProvider, null));
        }
        finally
        {
            await system.Terminate();
            await plain.Terminate();
        }
    }

    [Fact]
    public async Task The_package_setup_applies_to_both_serializers()
    {
        var setup = ActorSystemSetup.Create(
            BootstrapSetup.Create().WithConfig(XStateNetConfig.Default),
            HyperionSerializerSetup.Empty.WithDisallowUnsafeType(false));
        var system = ActorSystem.Create("package-hyperion-setup", setup);
        try
        {
            var ours = Assert.IsType<HyperionSerializer>(system.Serialization.FindSerializerForType(typeof(object)));
            Assert.False(ours.RuntimeSettings.DisallowUnsafeTypes);
            Assert.False(HyperionSettings.For(system).DisallowUnsafeTypes); // what the machine event serializer reads with
        }
        finally
        {
            await system.Terminate();
        }
    }

    [Fact]
    public void The_old_spelling_of_the_unsafe_type_key_is_refused_naming_the_package_key()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            HyperionSettings.From(ConfigurationFactory.ParseString("disallow-unsafe-types = off")));
        Assert.Contains($"{HyperionSettings.Section}.disallow-unsafe-types: unknown setting", error.Message);
        Assert.Contains("disallow-unsafe-type,", error.Message);
    }

    [Fact]
    public async Task A_machine_event_s_payload_of_a_known_type_is_written_as_a_number_and_read_back()
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka.actor.serialization-settings.hyperion.known-types-provider = "{{typeof(ShopKnownTypes).AssemblyQualifiedName}}"
            """).WithFallback(XStateNetConfig.Default);
        var system = ActorSystem.Create("package-hyperion-known-event", config);
        var plain = ActorSystem.Create("package-hyperion-plain-event", XStateNetConfig.Default);
        try
        {
            var machineEvent = new MachineEvent("ORDER", new OrderPlaced("o-1")) { SourceMachineId = "shop" };
            var events = (SerializerWithStringManifest)system.Serialization.FindSerializerFor(machineEvent);
            var withProvider = events.ToBinary(machineEvent);
            var withoutProvider = plain.Serialization.FindSerializerFor(machineEvent).ToBinary(machineEvent);
            // The payload's type crosses as its index among the known types, not as its assembly-qualified name.
            var name = System.Text.Encoding.UTF8.GetBytes(nameof(OrderPlaced));
            Assert.True(withoutProvider.AsSpan().IndexOf(name) >= 0, "without the provider the payload's type name is written");
            Assert.True(withProvider.AsSpan().IndexOf(name) < 0, "with the provider the payload's type name is still written");
            var read = Assert.IsType<MachineEvent>(events.FromBinary(withProvider, events.Manifest(machineEvent)));
            Assert.Equal(("ORDER", "shop"), (read.Name, read.SourceMachineId));
            Assert.Equal(new OrderPlaced("o-1"), read.Data);
        }
        finally
        {
            await system.Terminate();
            await plain.Terminate();
        }
    }

    [Fact]
    public void A_known_types_provider_that_does_not_load_is_a_configuration_error_naming_the_section()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            HyperionSettings.From(ConfigurationFactory.ParseString("known-types-provider = \"No.Such.Provider, NoSuchAssembly\"")));
        Assert.StartsWith($"{HyperionSettings.Section}: ", error.Message);
    }

    [Fact]
    public void Namespaces_in_allowed_types_stay_the_runtime_s_and_do_not_need_to_load_at_start_up()
    {
        var settings = HyperionSettings.From(ConfigurationFactory.ParseString("""allowed-types = ["MyApp.Orders.*", "MyApp.Billing.Invoice"]"""));
        Assert.Equal(["MyApp.Orders.*", "MyApp.Billing.Invoice"], settings.AllowedTypes);
    }
}

public sealed record OrderPlaced(string OrderId);

public sealed record Temperature(decimal Celsius);

/// <summary>Types every peer knows: written as an index instead of their name.</summary>
public sealed class ShopKnownTypes : IKnownTypesProvider
{
    public IEnumerable<Type> GetKnownTypes() => [typeof(OrderPlaced)];
}

/// <summary>A Hyperion surrogate named in HOCON (a default constructor, as the package requires).</summary>
public sealed class TemperatureSurrogate : Surrogate
{
    public static int Written;

    public TemperatureSurrogate()
    {
        From = typeof(Temperature);
        To = typeof(TemperatureText);
        ToSurrogate = value => { Interlocked.Increment(ref Written); return new TemperatureText(((Temperature)value).Celsius.ToString(System.Globalization.CultureInfo.InvariantCulture)); };
        FromSurrogate = value => new Temperature(decimal.Parse(((TemperatureText)value).Celsius, System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed record TemperatureText(string Celsius);
