namespace EdgeFace.Trainer.Engine;

/// <summary>
/// Which activation-gradient slots of the current step hold values. A new slot is stale arena memory, not zeros:
/// a backward pass that writes every element of a gradient claims it (<see cref="Tensor.ClaimGrad"/>) and then
/// overwrites it instead of adding (the first writer assigns, later ones accumulate); any other access
/// (<see cref="Tensor.Grad"/>) zeroes a stale slot first. That saves a memory pass per tensor and step that did
/// not scale with threads. Owned by a <see cref="Graph"/> and reset with it; slots are only touched by the
/// thread that runs the tape (ops resolve gradients before fanning work out to the pool).
/// </summary>
public sealed class GradSlots
{
    private bool[] _written = new bool[256];
    private int _count;

    internal int Add()
    {
        if (_count == _written.Length) Array.Resize(ref _written, 2 * _count);
        _written[_count] = false;
        return _count++;
    }

    internal void Reset() => _count = 0;

    /// <summary>Zeroes the slot's memory unless something was written to it this step.</summary>
    internal void EnsureValues(int slot, Span<float> grad)
    {
        if (_written[slot]) return;
        grad.Clear();
        _written[slot] = true;
    }

    /// <summary>Marks the slot written; true when it already held values (so a writer must add to them).</summary>
    internal bool Claim(int slot)
    {
        var had = _written[slot];
        _written[slot] = true;
        return had;
    }
}
