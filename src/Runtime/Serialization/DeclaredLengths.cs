namespace XStateNet.Actors.Serialization;

/// <summary>
/// Follows, in the sequence of reads Hyperion makes, where the next four bytes are a declared length or count (of a
/// type name, a field name, a long string, a byte array, the elements of a collection), so that
/// <see cref="GuardedReadStream"/> can refuse one larger than the bytes left before Hyperion allocates for it: a
/// 20-byte message must not make the node allocate a 2 GiB array.
/// </summary>
/// <remarks>
/// <para>
/// The stream sees only reads, not what they mean, so this follows the shapes Hyperion (0.12.2) writes with
/// version tolerance on (fields always behind a manifest byte, never raw), where a value byte is always followed
/// by another single-byte read, never by a four-byte one:
/// </para>
/// <list type="bullet">
/// <item>manifest 251 (a type by name): name length, name, a field count byte, then per field a name length and a
/// name; then, for a collection, its element count;</item>
/// <item>manifest 254 (a type seen before, by index): a two-byte index; then, for a collection, its element count;</item>
/// <item>byte 255 (a string of 254 bytes or more, or a type value's long name) and manifest 9 (a byte array): a
/// length, then that many bytes;</item>
/// <item>manifest 252 (an array of primitives or strings: <c>int[]</c>, <c>string[]</c>...): the elements' manifest,
/// then their count, each element taking at least its fixed size.</item>
/// </list>
/// <para>
/// Every element and every byte of a name takes at least one byte of the message, so none of these may exceed
/// what is left. The one byte that is data rather than a manifest where a manifest could stand is the value after
/// a byte, sbyte or bool manifest (4, 20, 6): it is skipped. Anything else that merely looks like one of these
/// manifests (a string's length byte, a field count) is followed by a read of another size and ends the pattern,
/// so data is never taken for a length: at worst a length goes unchecked.
/// </para>
/// </remarks>
internal struct DeclaredLengths
{
    private State _state;
    private State _afterData;
    private int _fieldsLeft;
    private bool _valueByteNext;

    /// <summary>The fewest bytes each unit of the length about to be checked takes (an element of a primitive array, or 1).</summary>
    public int BytesPerUnit { get; private set; }

    private enum State : byte
    {
        None,
        Length,
        TypeNameLength,
        FieldCount,
        FieldNameLength,
        TypeIndex,
        CountMayFollow,
        Data,
        ArrayElementManifest,
        ArrayLength,
    }

    /// <summary>Hyperion read the single byte <paramref name="value"/>.</summary>
    public void OnByte(int value)
    {
        if (_state == State.FieldCount)
        {
            _fieldsLeft = value;
            _state = value > 0 ? State.FieldNameLength : State.CountMayFollow;
            return;
        }
        if (_state == State.ArrayElementManifest)
        {
            BytesPerUnit = FixedSizeOf(value);
            _state = State.ArrayLength;
            return;
        }
        if (_valueByteNext)
        {
            _valueByteNext = false;
            _state = State.None;
            return;
        }
        BytesPerUnit = 1;
        _valueByteNext = value is 4 or 6 or 20;
        _state = value switch
        {
            9 or 255 => State.Length,
            251 => State.TypeNameLength,
            252 => State.ArrayElementManifest,
            254 => State.TypeIndex,
            _ => State.None,
        };
    }

    // Hyperion's manifests of primitive values, and the bytes each value takes at least.
    private static int FixedSizeOf(int manifest) => manifest switch
    {
        2 or 13 or 19 => 8, // long, double, ulong
        3 or 15 or 17 => 2, // short, char, ushort
        8 or 12 or 18 => 4, // int, float, uint
        5 => 9, // DateTime: ticks and kind
        10 or 11 or 14 => 16, // DateTimeOffset, Guid, decimal
        _ => 1,
    };

    /// <summary>Whether a read of <paramref name="size"/> bytes is a declared length or count (then call <see cref="OnLength"/>).</summary>
    public bool IsLength(int size)
    {
        _valueByteNext = false;
        switch (_state)
        {
            case State.Length or State.TypeNameLength or State.FieldNameLength or State.CountMayFollow or State.ArrayLength when size == 4:
                return true;
            case State.Data:
                _state = _afterData;
                return false;
            case State.TypeIndex when size == 2:
                _state = State.CountMayFollow;
                return false;
            default:
                _state = State.None;
                return false;
        }
    }

    /// <summary>The length or count read was <paramref name="value"/> (and accepted).</summary>
    public void OnLength(int value)
    {
        var next = _state switch
        {
            State.TypeNameLength => State.FieldCount,
            State.FieldNameLength when --_fieldsLeft > 0 => State.FieldNameLength,
            State.FieldNameLength => State.CountMayFollow,
            _ => State.None,
        };
        // A count is followed by elements, each with its own reads; a length by its bytes, in one read unless empty.
        if (_state is not (State.CountMayFollow or State.ArrayLength) && value > 0)
        {
            _state = State.Data;
            _afterData = next;
        }
        else
        {
            _state = next;
        }
        BytesPerUnit = 1;
    }
}
