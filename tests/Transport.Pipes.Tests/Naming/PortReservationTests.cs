using XStateNet.Actors.Transport.Pipes.Naming;

namespace XStateNet.Actors.Transport.Pipes.Tests.Naming;

public sealed class PortReservationTests
{
    private readonly PipeTransportSettings _settings = PipeTransportSettings.Create(Akka.Configuration.ConfigurationFactory.ParseString(
        $"file-prefix = \"{PipeNodes.UniquePrefix()}\", free-port-min = 30000, free-port-max = 30003"));

    [Fact]
    public void A_port_is_held_by_one_reservation_at_a_time_and_free_again_once_released()
    {
        using (var first = PortReservation.TryReserve(_settings, 30000))
        {
            Assert.NotNull(first);
            Assert.Null(PortReservation.TryReserve(_settings, 30000));
            Assert.True(File.Exists(first.Endpoint.LockPath));
        }

        using var again = PortReservation.TryReserve(_settings, 30000);
        Assert.NotNull(again);
    }

    [Fact]
    public void Released_reservations_leave_no_lock_file()
    {
        var reservation = PortReservation.TryReserve(_settings, 30001)!;
        var path = reservation.Endpoint.LockPath;
        reservation.Dispose();
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Port_zero_finds_the_free_ports_of_the_range_and_reports_when_none_is_left()
    {
        var held = Enumerable.Range(0, 4).Select(_ => PortReservation.ReserveFree(_settings)).ToList();
        try
        {
            Assert.Equal([30000, 30001, 30002, 30003], held.Select(r => r.Port).Order());
            var error = Assert.Throws<IOException>(() => PortReservation.ReserveFree(_settings));
            Assert.Contains("No free pipe port", error.Message);
        }
        finally
        {
            held.ForEach(r => r.Dispose());
        }
    }

    [Fact]
    public void The_pipe_name_is_derived_from_host_and_port()
    {
        var endpoint = PipeEndpoint.For("/tmp/x", "p", "My Host", 123);
        Assert.Equal("/tmp/x/p-my_host-123", endpoint.SocketPath);
        Assert.Equal("/tmp/x/p-my_host-123.lock", endpoint.LockPath);
    }
}
