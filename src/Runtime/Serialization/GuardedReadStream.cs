using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace XStateNet.Actors.Serialization;

/// <summary>
/// The read-only stream Hyperion reads one message from, which stops a hostile message before it can hurt: one
/// nested deeper than <c>max-depth</c> (each level is a recursive call in Hyperion's reader, and a stack overflow
/// cannot be caught: it kills the process), one that takes more than <c>max-objects</c> reads, one that declares a
/// length larger than itself, one that ends early.
/// </summary>
/// <remarks>
/// <para>
/// <b>Where depth is seen.</b> Hyperion (0.12.2) reads every object through this stream and begins every nested
/// object with a read (the manifest byte of <c>Serializer.GetDeserializerByManifest</c>, which every element, field
/// and value goes through), so between one level of recursion and the next there is always a read here. Each read
/// compares how far the stack has grown since reading began with a budget. Depth is measured as stack, not
/// counted, because nothing tells the stream where an object ends: one level of the costliest common shape (tier-0
/// code, not yet optimised) takes at most <see cref="StackBytesPerLevel"/> bytes, so a message <c>max-depth</c>
/// levels deep always reads; optimised code takes less, so a little deeper ones may too.
/// </para>
/// <para>
/// <b>Why it does not throw.</b> Hyperion catches every exception at every level of an object graph and throws a new
/// one from its catch block, and .NET runs a catch block on top of the stack of the exception it handles: an
/// exception thrown N levels deep costs N nested exception dispatches (about 11 KiB of stack each) on its way
/// out, so throwing at a depth of 130 overflows a 1.5 MiB thread-pool stack as surely as the recursion would. So
/// past a limit (or past the end of the bytes) the stream only remembers why and then reads as zeros: every
/// pending object reads as null, every count as 0, and Hyperion returns on its own, level by level, with no
/// exception; the serializer then throws the remembered refusal from the top.
/// </para>
/// <para>
/// <b>Two budgets.</b> Hyperion can still throw deep down on corrupt bytes (an unknown manifest, a refused type),
/// and that cascade must fit the thread. On the caller's thread (an Akka dispatcher thread of 1.5 MiB) the stream
/// allows only <see cref="FastPathStackBytes"/>, enough for every ordinary message, whose worst cascade fits with
/// room to spare; a deeper message is drained and read again on a thread of its own with a stack sized for
/// <c>max-depth</c> and its worst cascade (<see cref="HyperionSerializer"/> does that).
/// </para>
/// <para>
/// <b>Declared lengths.</b> Where <see cref="DeclaredLengths"/> knows the next four bytes are a length or a count,
/// one larger than the bytes left (each element, each byte of a name takes at least one) drains the stream before
/// Hyperion can allocate for it, and is read as 0.
/// </para>
/// <para>
/// The cost per read is a decrement, an address subtraction, a few compares and a small state switch: no
/// allocation, no call.
/// </para>
/// </remarks>
internal sealed class GuardedReadStream : Stream
{
    /// <summary>Stack bytes one level of nesting may take in Hyperion's reader (measured, with a margin).</summary>
    /// <remarks>
    /// Measured in tier-0 code, the first read in a process: about 1,010 bytes per level of
    /// <c>Dictionary&lt;string, object&gt;</c>, 900 of a machine event, 310 of a list. A budget of 1,024 left a
    /// dictionary exactly <c>max-depth</c> deep refused about one run in five, so the margin is twice the worst.
    /// </remarks>
    internal const int StackBytesPerLevel = 2048;

    /// <summary>Stack a message may take on the caller's thread before it is read again on a thread of its own.</summary>
    internal const int FastPathStackBytes = 16 * 1024;

    // Reads a draining stream serves before it throws: enough for every pending level to read its remaining
    // fields as nulls, far too few for a loop over a huge count read before draining began.
    private const int DrainReads = 64 * 1024;

    // How often (in stack bytes) to ask .NET whether the thread's stack still has room: rare enough to cost
    // nothing, frequent enough that one level of nesting can never jump past the room .NET keeps.
    private const int ExecutionStackProbeBytes = 8 * 1024;

    private readonly byte[] _bytes;
    private readonly HyperionSettings _limits;
    private readonly nint _stackTop;
    private readonly nint _stackBudget;
    private readonly bool _onOwnThread;
    private nint _nextStackCheck;
    private int _readsLeft;
    private int _position;
    private readonly int _start;
    private bool _draining;
    private int _drainReadsLeft = DrainReads;
    private readonly bool _followLengths;
    private DeclaredLengths _lengths;

    /// <summary>A stream over <paramref name="bytes"/>; depth is measured from <paramref name="stackTop"/>.</summary>
    /// <param name="bytes">The whole message.</param>
    /// <param name="limits">The settings whose <c>max-depth</c> and <c>max-objects</c> apply.</param>
    /// <param name="stackTop">The stack position reading starts from, from <see cref="StackPosition"/>.</param>
    /// <param name="onOwnThread">
    /// Whether this read runs on a thread of its own sized for <c>max-depth</c> (<see cref="StackBytesFor"/>);
    /// otherwise a message deeper than <see cref="FastPathStackBytes"/> is drained and <see cref="NeedsOwnThread"/>.
    /// </param>
    public GuardedReadStream(byte[] bytes, HyperionSettings limits, nint stackTop, bool onOwnThread)
        : this(bytes, 0, limits, stackTop, onOwnThread)
    {
    }

    /// <summary>A stream over the bytes from <paramref name="start"/> to the end (a message's Hyperion part after a header of ours).</summary>
    public GuardedReadStream(byte[] bytes, int start, HyperionSettings limits, nint stackTop, bool onOwnThread)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, bytes.Length);
        _bytes = bytes;
        _start = start;
        _position = start;
        _limits = limits;
        _stackTop = stackTop;
        _onOwnThread = onOwnThread;
        var full = (nint)limits.MaxDepth * StackBytesPerLevel;
        _stackBudget = onOwnThread ? full : Math.Min(full, FastPathStackBytes);
        _nextStackCheck = Math.Min(ExecutionStackProbeBytes, _stackBudget);
        _readsLeft = limits.MaxObjects;
        // Without version tolerance, primitive fields are read raw and a byte value could pose as a manifest.
        _followLengths = limits.VersionTolerance;
    }

    /// <summary>
    /// The stack a thread of its own needs to read a message <paramref name="maxDepth"/> levels deep: the
    /// budget, plus the worst cascade of nested exception dispatches (one per level, at the fewest stack bytes a
    /// level may take, as optimised code reads it), plus room for the dispatches themselves.
    /// </summary>
    public static int StackBytesFor(int maxDepth)
    {
        const int FewestStackBytesPerLevel = 160;
        const int ExceptionDispatchBytes = 12 * 1024;
        var budget = (long)maxDepth * StackBytesPerLevel;
        var levels = budget / FewestStackBytesPerLevel;
        return checked((int)(budget + levels * ExceptionDispatchBytes + 4 * 1024 * 1024));
    }

    /// <summary>The address of a local of a frame just below the caller's: where depth is measured from.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static nint StackPosition()
    {
        byte marker = 0;
        return Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref marker);
    }

    /// <summary>Why the message is refused (a limit broken, the bytes ended early), or <c>null</c>.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The message was deeper than the caller's thread may read: read it again on a thread of its own.</summary>
    public bool NeedsOwnThread { get; private set; }

    /// <summary>Bytes not read yet.</summary>
    public int Remaining => _bytes.Length - _position;

    /// <inheritdoc />
    public override int ReadByte()
    {
        if (!_draining && Guard() && _position < _bytes.Length)
        {
            var value = _bytes[_position++];
            if (_followLengths) _lengths.OnByte(value);
            return value;
        }
        if (!_draining) Drain(EndedEarly());
        else DrainRead();
        return 0;
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc />
    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0) return 0;
        if (!_draining && Guard())
        {
            if (_followLengths && _lengths.IsLength(buffer.Length) && !LengthFits())
            {
                buffer.Clear();
                return buffer.Length;
            }
            if (buffer.Length <= _bytes.Length - _position)
            {
                _bytes.AsSpan(_position, buffer.Length).CopyTo(buffer);
                _position += buffer.Length;
                return buffer.Length;
            }
            Drain(EndedEarly());
        }
        else if (_draining)
        {
            DrainRead();
        }
        buffer.Clear();
        return buffer.Length;
    }

    // A declared length or count is next: refuse (and read it as 0) one larger than the bytes left after it.
    private bool LengthFits()
    {
        var left = _bytes.Length - _position - 4;
        if (left < 0) return true; // too short even for the length: reading it drains as ended early
        var declared = BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(_position, 4));
        if (declared >= 0 && (long)declared * _lengths.BytesPerUnit <= left)
        {
            _lengths.OnLength(declared);
            return true;
        }
        Drain($"Refused a {_bytes.Length - _start}-byte Hyperion message: at byte {_position - _start} it declares a length or count of " +
              $"{declared}, more than the {left} bytes left could hold (corrupt or hostile).");
        return false;
    }

    // Draining reads zeros, which end every loop Hyperion is in, unless a count it read before draining is huge:
    // past a bound, stop it with an exception (no deeper than the depth already reached, which the budget allowed).
    private void DrainRead()
    {
        if (--_drainReadsLeft < 0) throw new PayloadRefusedException(Refusal ?? "Refused a Hyperion message: it could not be drained.");
    }

    // True to go on reading; false once the stream drains.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Guard()
    {
        if (--_readsLeft < 0) return Drain(TooManyObjects());
        byte marker = 0;
        // The stack grows down on every platform .NET runs on: the deeper the call, the lower the address.
        var used = _stackTop - Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref marker);
        return used <= _nextStackCheck || CheckStack(used);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool CheckStack(nint used)
    {
        var exhausted = !RuntimeHelpers.TryEnsureSufficientExecutionStack();
        if (used > _stackBudget || exhausted)
        {
            if (_onOwnThread) return Drain(TooDeep(exhausted));
            NeedsOwnThread = true;
            return Drain(refusal: null);
        }
        _nextStackCheck = Math.Min(used + ExecutionStackProbeBytes, _stackBudget);
        return true;
    }

    private bool Drain(string? refusal)
    {
        _draining = true;
        Refusal ??= refusal;
        return false;
    }

    private string TooDeep(bool stackExhausted) =>
        $"Refused a {_bytes.Length - _start}-byte Hyperion message nested deeper than {_limits.MaxDepth} levels " +
        $"({HyperionSettings.Section}.max-depth = {_limits.MaxDepth})" +
        (stackExhausted ? ": the reading thread's stack is nearly exhausted." : ".");

    private string TooManyObjects() =>
        $"Refused a {_bytes.Length - _start}-byte Hyperion message holding too many objects: reading it takes more than " +
        $"{_limits.MaxObjects} reads, at least one per object ({HyperionSettings.Section}.max-objects = {_limits.MaxObjects}).";

    private string EndedEarly() =>
        $"Could not read a {_bytes.Length - _start}-byte Hyperion message: it ends in the middle of a value (truncated or corrupt).";

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override bool CanWrite => false;

    /// <inheritdoc />
    public override long Length => _bytes.Length - _start;

    /// <inheritdoc />
    public override long Position
    {
        get => _position - _start;
        set => throw new NotSupportedException();
    }

    /// <inheritdoc />
    public override void Flush()
    {
    }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
