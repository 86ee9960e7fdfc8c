namespace EdgeFace.Trainer.Data;

/// <summary>
/// A tiny SplitMix64 generator. Unlike <see cref="Random"/> its sequence is fixed by this code forever, so
/// batches, splits and augmentations recorded in a checkpoint replay identically on any machine or .NET version.
/// A value type: copy it to fork the stream. <see cref="Derive"/> builds independent seeds for
/// (seed, epoch, batch, slot) without any shared state, which is what makes the samplers restartable.
/// </summary>
public struct DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    /// <summary>A well-mixed seed from a base seed and up to three counters.</summary>
    public static ulong Derive(ulong seed, long a, long b = 0, long c = 0)
    {
        var h = Mix(seed ^ 0x6A09E667F3BCC909UL);
        h = Mix(h ^ (ulong)a);
        h = Mix(h ^ (ulong)b);
        return Mix(h ^ (ulong)c);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, <paramref name="exclusiveMax"/>), without modulo bias.</summary>
    public int NextInt(int exclusiveMax)
    {
        if (exclusiveMax <= 0) throw new ArgumentOutOfRangeException(nameof(exclusiveMax), exclusiveMax, "must be positive");
        var bound = (ulong)exclusiveMax;
        var limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong x;
        do x = NextUInt64(); while (x >= limit);
        return (int)(x % bound);
    }

    /// <summary>Uniform double in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [-<paramref name="amplitude"/>, +<paramref name="amplitude"/>).</summary>
    public double NextSymmetric(double amplitude) => (NextDouble() * 2 - 1) * amplitude;

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
