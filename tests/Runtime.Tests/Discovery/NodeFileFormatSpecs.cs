using System.Text;
using XStateNet.Actors.Discovery;

namespace XStateNet.Actors.Tests.Discovery;

/// <summary>The host directory's file format: what a node writes reads back, and anything else is refused with the reason.</summary>
public sealed class NodeFileFormatSpecs
{
    private static readonly NodeRecord Sample = new(4242, 98765, ["akka.pipe://Left@localhost:21001"],
        [new MachineRecord("ping", "/user/ping", 1764640000000), new MachineRecord("odd id \"x\"", "/user/parent/odd", 1)]);

    [Fact]
    public void A_record_reads_back_as_written()
    {
        var read = NodeFileFormat.Read(NodeFileFormat.Write(Sample), maxMachines: 10);

        Assert.Equal(Sample.Pid, read.Pid);
        Assert.Equal(Sample.ProcessStart, read.ProcessStart);
        Assert.Equal(Sample.Addresses, read.Addresses);
        Assert.Equal(Sample.Machines, read.Machines);
    }

    public static TheoryData<string, string> Refused => new()
    {
        { "", "not JSON" },
        { "{\"format\":\"xstatenet-directory/1\",\"pid\":12", "not JSON" }, // torn
        { "[1,2]", "not a node object" },
        { "{\"name\":\"someone else's file\"}", "no \"format\"" },
        { "{\"format\":\"other/2\",\"pid\":1,\"processStart\":0,\"addresses\":[],\"machines\":[]}", "foreign file" },
        { "{\"format\":\"xstatenet-directory/1\",\"pid\":-3,\"processStart\":0,\"addresses\":[],\"machines\":[]}", "pid is not a positive" },
        { "{\"format\":\"xstatenet-directory/1\",\"pid\":3,\"processStart\":0,\"addresses\":[\"http://x\"],\"machines\":[]}", "not an Akka address" },
        { "{\"format\":\"xstatenet-directory/1\",\"pid\":3,\"processStart\":0,\"addresses\":[],\"machines\":[{\"id\":\"a\",\"path\":\"akka://x/user/a\",\"since\":1}]}", "not an actor path without address" },
        { "{\"format\":\"xstatenet-directory/1\",\"pid\":3,\"processStart\":0,\"addresses\":[],\"machines\":[{\"id\":\"\",\"path\":\"/user/a\",\"since\":1}]}", "empty id" },
        { "{\"format\":\"xstatenet-directory/1\",\"pid\":3,\"processStart\":0,\"addresses\":[],\"machines\":[1]}", "not an object" },
        { "{\"format\":\"xstatenet-directory/1\",\"pid\":3,\"processStart\":0,\"addresses\":[],\"machines\":" + new string('[', 50) + new string(']', 50) + "}", "not JSON" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public void Anything_else_is_refused_with_the_reason(string text, string reason)
    {
        var error = Assert.Throws<InvalidDataException>(() => NodeFileFormat.Read(Encoding.UTF8.GetBytes(text), maxMachines: 10));
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void More_machines_than_the_bound_are_refused_naming_the_setting()
    {
        var many = Sample with { Machines = Enumerable.Range(0, 11).Select(i => new MachineRecord($"m{i}", $"/user/m{i}", i)).ToList() };

        var error = Assert.Throws<InvalidDataException>(() => NodeFileFormat.Read(NodeFileFormat.Write(many), maxMachines: 10));
        Assert.Contains("xstatenet.directory.max-machines", error.Message);
    }

    [Fact]
    public void A_torn_prefix_of_any_length_is_refused_never_misread()
    {
        var bytes = NodeFileFormat.Write(Sample);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<InvalidDataException>(() => NodeFileFormat.Read(bytes.AsMemory(0, length), maxMachines: 10));
        }
    }
}
