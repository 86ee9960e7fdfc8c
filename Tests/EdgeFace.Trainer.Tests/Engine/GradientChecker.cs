using EdgeFace.Trainer.Engine;

namespace EdgeFace.Trainer.Tests.Engine;

/// <summary>
/// Central-difference gradient check. The scalar under test is accumulated in double precision
/// (Σ rᵢ·yᵢ with a fixed random projection r, or a loss value), so only the float32 op itself is in single
/// precision; analytic gradients w.r.t. the input and every parameter are compared element by element.
/// </summary>
internal static class GradientChecker
{
    /// <summary>
    /// <paramref name="scalar"/> builds the graph from the input tensor and returns the scalar; when the graph keeps
    /// gradients it must also seed them (project or loss), so Backward fills the analytic gradients.
    /// </summary>
    public static void Check(ParameterStore store, float[] input, (int N, int C, int H, int W) shape,
        Func<Graph, Tensor, double> scalar, bool training = true, float eps = 1e-2f, double rtol = 2e-2, double atol = 2e-3,
        bool checkInput = true, int maxPerTensor = 40, Action<ParameterStore>? prepare = null)
    {
        store.Seal();
        prepare?.Invoke(store);
        double Evaluate()
        {
            var g = new Graph(store, training, needsGrad: false, new Rng(99));
            var x = g.Input(input, shape.N, shape.C, shape.H, shape.W);
            return scalar(g, x);
        }

        var buffersBefore = store.Buffers.ToArray();
        store.ZeroGrad();
        var graph = new Graph(store, training, needsGrad: true, new Rng(99));
        var xt = graph.Input(input, shape.N, shape.C, shape.H, shape.W, withGrad: checkInput);
        scalar(graph, xt);
        graph.Backward();
        var inputGrad = checkInput ? xt.Grad.ToArray() : [];
        var paramGrad = store.Grads.ToArray();

        var failures = new List<string>();
        void Compare(string what, float[] values, int index, double analytic)
        {
            var keep = values[index];
            values[index] = keep + eps; var plus = Evaluate();
            values[index] = keep - eps; var minus = Evaluate();
            values[index] = keep;
            var numeric = (plus - minus) / (2 * eps);
            if (Math.Abs(numeric - analytic) > atol + rtol * Math.Max(Math.Abs(numeric), Math.Abs(analytic)))
                failures.Add($"{what}[{index}]: analytic {analytic:G6} numeric {numeric:G6}");
        }

        if (checkInput)
            foreach (var i in Sample(input.Length, maxPerTensor)) Compare("input", input, i, inputGrad[i]);
        foreach (var p in store.Parameters)
            foreach (var i in Sample(p.Length, maxPerTensor)) Compare(p.Name, store.Values, p.Offset + i, paramGrad[p.Offset + i]);
        buffersBefore.CopyTo(store.Buffers, 0);
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(15)));
    }

    /// <summary>Σ rᵢ·yᵢ in double, seeding y's gradient with r when the graph keeps gradients.</summary>
    public static double Project(Graph g, Tensor y, int seed = 5)
    {
        var rng = new Rng((ulong)seed);
        double sum = 0;
        var data = y.Data;
        var grad = g.NeedsGrad ? y.Grad : default;
        for (var i = 0; i < data.Length; i++)
        {
            var r = rng.Uniform(-1, 1);
            sum += (double)r * data[i];
            if (!grad.IsEmpty) grad[i] += r;
        }
        return sum;
    }

    private static IEnumerable<int> Sample(int length, int max)
    {
        if (length <= max) return Enumerable.Range(0, length);
        var step = (double)length / max;
        return Enumerable.Range(0, max).Select(i => (int)(i * step)).Distinct();
    }

    public static float[] RandomInput(int length, int seed, float scale = 1f, float avoidBelow = 0f)
    {
        var rng = new Rng((ulong)seed);
        var x = new float[length];
        for (var i = 0; i < length; i++)
        {
            var v = rng.Uniform(-scale, scale);
            // Keep values off kinks (ReLU at 0) so a ±eps step never crosses one.
            if (Math.Abs(v) < avoidBelow) v = v < 0 ? -avoidBelow - rng.Uniform(0, scale) : avoidBelow + rng.Uniform(0, scale);
            x[i] = v;
        }
        return x;
    }
}
