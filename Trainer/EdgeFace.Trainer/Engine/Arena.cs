namespace EdgeFace.Trainer.Engine;

/// <summary>
/// Bump allocator for one step's activations and activation gradients. <see cref="Reset"/> makes all memory
/// reusable. A step allocates the same sizes in the same order every time, so after the first step the blocks
/// already fit and later steps allocate nothing from the GC (and touch no fresh pages). Blocks grow
/// geometrically and are never moved, so tensors handed out stay valid until Reset.
/// </summary>
public sealed class Arena
{
    private const int Alignment = 16; // floats: 64 bytes
    private readonly List<float[]> _blocks = [];
    private int _block;
    private int _used;
    private long _stepTotal;
    private long _capacity;

    public Arena(int initialFloats = 1 << 20) => AddBlock(initialFloats);

    /// <summary>Floats handed out since the last reset.</summary>
    public long Used => _stepTotal;
    /// <summary>Floats held in all blocks.</summary>
    public long Capacity => _capacity;

    /// <summary>Reserves <paramref name="length"/> floats. Contents are stale unless <paramref name="clear"/>.</summary>
    public (float[] Buffer, int Offset) Allocate(int length, bool clear)
    {
        var rounded = (length + Alignment - 1) / Alignment * Alignment;
        _stepTotal += rounded;
        while (_used + rounded > _blocks[_block].Length)
        {
            _block++;
            _used = 0;
            if (_block == _blocks.Count) AddBlock((int)Math.Min(Array.MaxLength, Math.Max(rounded, _capacity)));
        }
        var offset = _used;
        _used += rounded;
        var buffer = _blocks[_block];
        if (clear) buffer.AsSpan(offset, length).Clear();
        return (buffer, offset);
    }

    private void AddBlock(int floats)
    {
        // Uninitialised: every tensor is written (or cleared) before it is read.
        _blocks.Add(GC.AllocateUninitializedArray<float>(floats));
        _capacity += floats;
    }

    /// <summary>Frees everything for the next step; keeps the blocks.</summary>
    public void Reset()
    {
        _block = 0;
        _used = 0;
        _stepTotal = 0;
    }
}
