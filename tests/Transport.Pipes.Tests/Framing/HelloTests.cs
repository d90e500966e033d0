using System.Buffers.Binary;
using Akka.Actor;
using XStateNet.Actors.Transport.Pipes.Framing;

namespace XStateNet.Actors.Transport.Pipes.Tests.Framing;

public sealed class HelloTests
{
    private static readonly Address Sample = new("pipe", "Orders", "localhost", 20001);

    [Fact]
    public async Task A_hello_round_trips_with_process_id_and_address()
    {
        var hello = new Hello(4242, Sample, 64000);
        var frame = await new FrameReader(new MemoryStream(hello.Encode()), 1024, 4096).ReadAsync(default);
        Assert.Equal(hello, Hello.Decode(frame, "pipe"));
    }

    [Fact]
    public void Anything_but_a_hello_first_is_refused()
    {
        var error = Assert.Throws<FrameFormatException>(() => Hello.Decode(new Frame(FrameKind.Payload, [1]), "pipe"));
        Assert.Contains("expected a hello frame first", error.Message);
    }

    [Fact]
    public void A_hello_without_the_magic_number_is_refused()
    {
        var body = Body(new Hello(1, Sample, 64000));
        body[0] ^= 0xff;
        var error = Assert.Throws<FrameFormatException>(() => Hello.Decode(new Frame(FrameKind.Hello, body), "pipe"));
        Assert.Contains("magic", error.Message);
    }

    [Fact]
    public void A_hello_of_another_version_is_refused()
    {
        var body = Body(new Hello(1, Sample, 64000));
        body[4] = 99;
        var error = Assert.Throws<FrameFormatException>(() => Hello.Decode(new Frame(FrameKind.Hello, body), "pipe"));
        Assert.Contains("version 99", error.Message);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("tcp://Orders@localhost:1")]
    [InlineData("pipe://Orders")]
    public void A_hello_with_an_unusable_address_is_refused(string address)
    {
        var body = Body(new Hello(1, Sample, 64000))[..13].Concat(System.Text.Encoding.UTF8.GetBytes(address)).ToArray();
        Assert.Throws<FrameFormatException>(() => Hello.Decode(new Frame(FrameKind.Hello, body), "pipe"));
    }

    private static byte[] Body(Hello hello)
    {
        var frame = hello.Encode();
        Assert.Equal(frame.Length - FrameHeader.Size, BinaryPrimitives.ReadInt32LittleEndian(frame));
        return frame[FrameHeader.Size..];
    }
}
