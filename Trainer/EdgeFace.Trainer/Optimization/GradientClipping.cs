using System.Numerics;
using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Optimization;

/// <summary>
/// Global gradient-norm clipping over the flat gradient array, in a few chunks per thread: each chunk sums its squares
/// in float vectors, folded into a double every block so millions of terms keep their precision; chunk sums are
/// added in chunk order, so the norm depends on the thread count, not on scheduling. Allocation-free once built.
/// </summary>
public sealed class GradientClipping
{
    private readonly Work _work = new();

    /// <summary>Scales <paramref name="grads"/> so their L2 norm is at most <paramref name="maxNorm"/> (0: never);
    /// returns the norm before.</summary>
    public float ClipByNorm(float[] grads, float maxNorm)
    {
        var norm = (float)Math.Sqrt(_work.SumOfSquares(grads));
        if (maxNorm > 0 && norm > maxNorm) _work.Scale(grads, maxNorm / (norm + 1e-6f));
        return norm;
    }

    private sealed class Work : RangeWork
    {
        private const int Block = 4096;
        private readonly double[] _partials = new double[MaxTasks];
        private float[] _values = [];
        private float _scale;
        private bool _scaling;

        public double SumOfSquares(float[] values)
        {
            (_values, _scaling) = (values, false);
            RunRange(values.Length);
            double sum = 0;
            for (var t = 0; t < Tasks; t++) sum += _partials[t];
            return sum;
        }

        public void Scale(float[] values, float scale)
        {
            (_values, _scale, _scaling) = (values, scale, true);
            RunRange(values.Length);
        }

        protected override void Range(int task, int start, int count)
        {
            var span = _values.AsSpan(start, count);
            if (_scaling)
            {
                foreach (ref var v in span) v *= _scale;
                return;
            }
            double sum = 0;
            for (var b = 0; b < span.Length; b += Block)
            {
                var block = span.Slice(b, Math.Min(Block, span.Length - b));
                var acc = Vector<float>.Zero;
                var i = 0;
                for (; i + Vector<float>.Count <= block.Length; i += Vector<float>.Count)
                {
                    var v = new Vector<float>(block.Slice(i));
                    acc += v * v;
                }
                double tail = 0;
                for (; i < block.Length; i++) tail += (double)block[i] * block[i];
                sum += Vector.Sum(acc) + tail;
            }
            _partials[task] = sum;
        }
    }
}
