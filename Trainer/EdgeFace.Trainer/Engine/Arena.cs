namespace EdgeFace.Trainer.Engine;

/// <summary>
/// Bump allocator for one step's activations and activation gradients. <see cref="Reset"/> makes all memory
/// reusable; after the first step the arena holds one block as large as the step's peak, so later steps
/// allocate nothing from the GC. Blocks are never moved, so tensors handed out stay valid until Reset.
/// </summary>
public sealed class Arena
{
    private const int Alignment = 16; // floats: keeps every tensor on a 64-byte boundary relative to its block
    private readonly List<float[]> _blocks = [];
    private int _block;
    private int _used;
    private long _stepTotal;

    public Arena(int initialFloats = 1 << 20) => _blocks.Add(new float[initialFloats]);

    /// <summary>Floats handed out since the last reset.</summary>
    public long Used => _stepTotal;

    /// <summary>Reserves <paramref name="length"/> floats. Contents are stale unless <paramref name="clear"/>.</summary>
    public (float[] Buffer, int Offset) Allocate(int length, bool clear)
    {
        var rounded = (length + Alignment - 1) / Alignment * Alignment;
        _stepTotal += rounded;
        if (_used + rounded > _blocks[_block].Length)
        {
            _block++;
            if (_block == _blocks.Count) _blocks.Add(new float[Math.Max(rounded, _blocks[^1].Length)]);
            else if (_blocks[_block].Length < rounded) _blocks[_block] = new float[rounded];
            _used = 0;
        }
        var offset = _used;
        _used += rounded;
        var buffer = _blocks[_block];
        if (clear) buffer.AsSpan(offset, length).Clear();
        return (buffer, offset);
    }

    /// <summary>Frees everything; merges blocks into one of the peak size so the next step fits in it.</summary>
    public void Reset()
    {
        if (_blocks.Count > 1)
        {
            var peak = (int)Math.Min(Array.MaxLength, _stepTotal);
            _blocks.Clear();
            _blocks.Add(new float[peak]);
        }
        _block = 0;
        _used = 0;
        _stepTotal = 0;
    }
}
