using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Transport.Telemetry;

namespace XStateNet.Actors.Transport.Tests;

/// <summary>
/// <c>xstatenet.telemetry</c>: both switches on when absent, on/off read once, anything else refused naming its key;
/// an association of a system with metrics off counts nothing and is not among the open ones the gauges report.
/// </summary>
public sealed class TelemetrySwitchesSpecs
{
    [Fact]
    public void Absent_keys_are_on()
    {
        var switches = TelemetrySwitches.Read(Config.Empty);
        Assert.True(switches.Metrics);
        Assert.True(switches.Tracing);
    }

    [Theory]
    [InlineData("metrics = off", false, true)]
    [InlineData("tracing = off", true, false)]
    [InlineData("metrics = false, tracing = no", false, false)]
    [InlineData("metrics = on, tracing = yes", true, true)]
    public void On_and_off_are_read(string keys, bool metrics, bool tracing)
    {
        var switches = TelemetrySwitches.Read(ConfigurationFactory.ParseString($"xstatenet.telemetry {{ {keys} }}"));
        Assert.Equal(metrics, switches.Metrics);
        Assert.Equal(tracing, switches.Tracing);
    }

    [Theory]
    [InlineData("metrics = maybe", "xstatenet.telemetry.metrics")]
    [InlineData("tracing = 1", "xstatenet.telemetry.tracing")]
    [InlineData("tracing = \"\"", "xstatenet.telemetry.tracing")]
    [InlineData("traces = on", "xstatenet.telemetry.traces")]
    public void Anything_else_is_refused_naming_the_key(string keys, string key)
    {
        var error = Assert.Throws<ConfigurationException>(
            () => TelemetrySwitches.Read(ConfigurationFactory.ParseString($"xstatenet.telemetry {{ {keys} }}")));
        Assert.Contains(key, error.Message);
    }

    [Fact]
    public async Task A_system_with_a_bad_value_fails_when_it_is_first_asked_naming_the_key()
    {
        using var system = ActorSystem.Create("switches", "akka.loglevel = OFF\nxstatenet.telemetry.metrics = sometimes");
        var error = Assert.Throws<ConfigurationException>(() => TelemetrySwitches.For(system));
        Assert.Contains("xstatenet.telemetry.metrics", error.Message);
        await system.Terminate();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_association_of_a_system_with_metrics_off_counts_nothing(bool metrics)
    {
        var peer = new Address("shm", "peer-" + Guid.NewGuid().ToString("N")[..8], "localhost", 1);
        var counted = 0L;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TransportMetrics.MeterName) l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == TransportMetrics.PeerTag && Equals(tag.Value, peer.ToString())) Interlocked.Add(ref counted, value);
            }
        });
        listener.Start();
        using var system = ActorSystem.Create("switches", $"akka.loglevel = OFF\nxstatenet.telemetry.metrics = {(metrics ? "on" : "off")}");

        using (var meter = new PeerMeter(system, "shm", peer, () => 7))
        {
            meter.Sent(10);   // a message and its 10 bytes
            meter.Received(5); // a message and its 5 bytes
            meter.BackedOff(); // one back-off
            listener.RecordObservableInstruments(); // 7 queued, one association open
        }

        Assert.Equal(metrics ? 1 + 10 + 1 + 5 + 1 + 7 + 1 : 0, Interlocked.Read(ref counted));
        await system.Terminate();
    }
}
