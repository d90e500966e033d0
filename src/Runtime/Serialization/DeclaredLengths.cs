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
/// length, then that many bytes.</item>
/// </list>
/// <para>
/// Every element and every byte of a name takes at least one byte of the message, so none of these may exceed
/// what is left. Not followed, because a byte value could look like their manifest: arrays of primitives
/// (<c>int[]</c>, <c>long[]</c>...), whose declared length still allocates up to length × element size.
/// </para>
/// </remarks>
internal struct DeclaredLengths
{
    private State _state;
    private State _afterData;
    private int _fieldsLeft;

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
        _state = value switch
        {
            9 or 255 => State.Length,
            251 => State.TypeNameLength,
            254 => State.TypeIndex,
            _ => State.None,
        };
    }

    /// <summary>Whether a read of <paramref name="size"/> bytes is a declared length or count (then call <see cref="OnLength"/>).</summary>
    public bool IsLength(int size)
    {
        switch (_state)
        {
            case State.Length or State.TypeNameLength or State.FieldNameLength or State.CountMayFollow when size == 4:
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
        if (_state != State.CountMayFollow && value > 0)
        {
            _state = State.Data;
            _afterData = next;
        }
        else
        {
            _state = next;
        }
    }
}
