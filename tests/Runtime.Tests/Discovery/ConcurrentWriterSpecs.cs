using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using XStateNet.Actors.Configuration;
using XStateNet.Actors.Discovery;

namespace XStateNet.Actors.Tests.Discovery;

/// <summary>
/// Two processes write the host directory at once: each claims ids of its own and the same contested ids, while
/// this process reads every node file over and over. Every contested id goes to exactly one of them, both files
/// end up complete, no read ever sees a torn file, and no temporary file is left.
/// </summary>
public sealed class ConcurrentWriterSpecs : IDisposable
{
    private const int OwnIds = 150;
    private const int ContestedIds = 30;

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"xstatenet-dirconc-{Guid.NewGuid():N}");

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Two_processes_claiming_at_once_never_share_an_id_and_never_leave_a_torn_file()
    {
        System.IO.Directory.CreateDirectory(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var barrier = Path.Combine(_folder, "go");
        var contested = Enumerable.Range(0, ContestedIds).Select(i => $"contested-{i}").ToArray();
        var children = new[] { "a", "b" }
            .Select(name => StartChild(barrier, Enumerable.Range(0, OwnIds).Select(i => $"{name}-{i}").Concat(contested).ToArray()))
            .ToArray();
        try
        {
            await Task.WhenAll(children.Select(child => child.WaitFor("READY", TimeSpan.FromSeconds(60))));
            using var reading = new CancellationTokenSource();
            var reader = Task.Run(() => ReadUntilCancelled(reading.Token));
            File.WriteAllText(barrier, "go");
            await Task.WhenAll(children.Select(child => child.WaitFor("DONE", TimeSpan.FromSeconds(120))));
            reading.Cancel();
            var reads = await reader;
            Assert.True(reads > 0);

            foreach (var id in contested)
            {
                Assert.Equal(1, children.Count(child => child.Lines.Contains($"CLAIMED {id}")));
                Assert.Single(children, child => child.Lines.Any(line => line.StartsWith($"TAKEN {id} ", StringComparison.Ordinal)));
            }
            var records = System.IO.Directory.GetFiles(_folder, "node-*.json").Select(file => NodeFileFormat.Read(File.ReadAllBytes(file), 10_000)).ToList();
            Assert.Equal(2, records.Count);
            foreach (var (child, name) in children.Zip(new[] { "a", "b" }))
            {
                var record = Assert.Single(records, r => r.Pid == child.Pid);
                Assert.Equal(OwnIds, record.Machines.Count(machine => machine.Id.StartsWith(name + "-", StringComparison.Ordinal)));
                Assert.Equal(children.Single(c => c.Pid == child.Pid).Lines.Count(line => line.StartsWith("CLAIMED contested-", StringComparison.Ordinal)),
                    record.Machines.Count(machine => machine.Id.StartsWith("contested-", StringComparison.Ordinal)));
            }
            Assert.Empty(System.IO.Directory.GetFiles(_folder, "*.tmp"));
        }
        finally
        {
            foreach (var child in children) child.Dispose();
        }
    }

    /// <summary>The child's side: waits for the barrier, claims every id, says which it got, and stays until its input closes.</summary>
    internal static int ClaimInChild(string folder, string barrier, string[] ids)
    {
        using var system = ActorSystem.Create("claimer", ConfigurationFactory.ParseString($$"""
            akka.loglevel = WARNING
            xstatenet.directory { enabled = on, path = "{{folder}}" }
            """).WithFallback(XStateNetConfig.Default));
        var directory = HostDirectory.For(system);
        Console.WriteLine("READY");
        while (!File.Exists(barrier)) Thread.Sleep(1);
        foreach (var id in ids)
        {
            try
            {
                directory.Claim(id, "/user/" + id);
                Console.WriteLine($"CLAIMED {id}");
            }
            catch (MachineIdTakenException taken)
            {
                Console.WriteLine($"TAKEN {id} by {taken.OwnerPid}");
            }
        }
        Console.WriteLine("DONE");
        Console.In.ReadToEnd();
        return 0;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(_folder)) System.IO.Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Reads every node file until cancelled; any torn or corrupt read fails the spec.</summary>
    private int ReadUntilCancelled(CancellationToken cancelled)
    {
        var reads = 0;
        while (!cancelled.IsCancellationRequested)
        {
            foreach (var file in System.IO.Directory.GetFiles(_folder, "node-*.json"))
            {
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(file);
                }
                catch (FileNotFoundException)
                {
                    continue;
                }
                NodeFileFormat.Read(bytes, 10_000); // throws on a torn file
                reads++;
            }
        }
        return reads;
    }

    private Child StartChild(string barrier, string[] ids)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(typeof(ChildProgram).Assembly.Location);
        start.Environment["DOTNET_EnableDiagnostics"] = "0";
        foreach (var argument in new[] { "claim-ids", _folder, barrier }.Concat(ids)) start.ArgumentList.Add(argument);
        return new Child(Process.Start(start)!);
    }

    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly List<string> _lines = new();

        public Child(Process process)
        {
            _process = process;
            Pid = process.Id;
            process.OutputDataReceived += (_, line) =>
            {
                if (line.Data is { } text) lock (_lines) _lines.Add(text);
            };
            process.ErrorDataReceived += (_, line) =>
            {
                if (line.Data is { } text) lock (_lines) _lines.Add("stderr: " + text);
            };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Pid { get; }

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lines) return _lines.ToArray();
            }
        }

        public async Task WaitFor(string line, TimeSpan timeout)
        {
            var deadline = Stopwatch.StartNew();
            while (!Lines.Contains(line))
            {
                if (deadline.Elapsed > timeout || _process.HasExited)
                    throw new TimeoutException($"child {Pid} did not print {line}: {string.Join(" | ", Lines.TakeLast(20))}");
                await Task.Delay(20);
            }
        }

        public void Dispose()
        {
            try
            {
                _process.StandardInput.Close(); // the child leaves the directory and exits
                if (!_process.WaitForExit(20_000)) _process.Kill(entireProcessTree: true);
            }
            finally
            {
                _process.WaitForExit();
                _process.Dispose();
            }
        }
    }
}
