using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Tests.Kernels;

/// <summary>Tests that change <see cref="KernelThreads.Count"/> or measure allocations: they run alone (after the
/// parallel tests), so no other test is using the pool or the thread count meanwhile.</summary>
[CollectionDefinition(nameof(KernelThreadingTests), DisableParallelization = true)]
public sealed class KernelThreadingCollection;

[Trait("Category", "Kernels")]
[Collection(nameof(KernelThreadingTests))]
public sealed class KernelThreadingTests
{
    [Fact]
    public void Threaded_result_equals_single_threaded_result()
    {
        int m = 150, n = 700, k = 300;
        var a = KernelAssert.Random(m * k, 11);
        var b = KernelAssert.Random(k * n, 12);
        var single = new float[m * n];
        var threaded = new float[m * n];
        var saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 1;
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, single, n);
            foreach (var threads in new[] { 2, 3, 8 })
            {
                KernelThreads.Count = threads;
                var pooled = KernelParallel.PooledRuns;
                Gemm.Multiply(false, false, m, n, k, a, k, b, n, threaded, n);
                Assert.Equal(pooled + 1, KernelParallel.PooledRuns);
                Assert.Equal(single, threaded);
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    [Fact]
    public void Concurrent_callers_share_the_pool_safely()
    {
        // Engine threads may call the kernels at once: one gets the pool, the others run inline; all must be right.
        int m = 90, n = 130, k = 70;
        var a = KernelAssert.Random(m * k, 21);
        var b = KernelAssert.Random(k * n, 22);
        var expected = new float[m * n];
        ReferenceKernels.Gemm(false, false, m, n, k, a, k, b, n, expected, n, false);
        var scale = new float[m * n];
        ReferenceKernels.Gemm(false, false, m, n, k, KernelAssert.Abs(a), k, KernelAssert.Abs(b), n, scale, n, false);
        var results = new float[4][];
        var callers = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            var c = new float[m * n];
            for (var r = 0; r < 20; r++) Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n);
            results[t] = c;
        })).ToList();
        callers.ForEach(t => t.Start());
        callers.ForEach(t => t.Join());
        foreach (var c in results) KernelAssert.Close(expected, c, scale, "concurrent caller");
    }

    [Fact]
    public void Every_task_runs_once_while_workers_spin_park_and_change_in_number()
    {
        // Workers spin for the next run, then park: runs back to back, after pauses long enough to park, and with
        // thread counts that leave some workers out must each run every task exactly once.
        var saved = KernelThreads.Count;
        var work = new CountingWork();
        try
        {
            int[] threadCounts = [2, 3, 1, 4, 2, 2];
            for (var run = 0; run < 3000; run++)
            {
                KernelThreads.Count = threadCounts[run % threadCounts.Length];
                if (run % 500 == 499) Thread.Sleep(KernelParallel.SpinMicroseconds / 1000 + 5);
                var tasks = 1 + run % 9;
                work.Reset(tasks);
                KernelParallel.For(tasks, work);
                Assert.True(work.RanOnceEach(), $"run {run}: tasks ran {string.Join(",", work.Counts.Take(tasks))} times with {KernelThreads.Count} threads");
                Assert.True(work.Threads <= KernelThreads.Count, $"run {run}: {work.Threads} threads ran tasks, {KernelThreads.Count} allowed");
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }

    /// <summary>Counts how often each task ran and on which threads; a task lasts a few microseconds, so a call that
    /// returned before its workers finished would show a task not yet counted.</summary>
    private sealed class CountingWork : IParallelWork
    {
        public readonly int[] Counts = new int[16];
        private readonly int[] _threadIds = new int[16];
        private int _tasks;

        public void Reset(int tasks)
        {
            Array.Clear(Counts);
            _tasks = tasks;
        }

        public void Execute(int task)
        {
            Thread.SpinWait(200);
            _threadIds[task] = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref Counts[task]);
        }

        public bool RanOnceEach() => Counts.Take(_tasks).All(c => c == 1) && Counts.Skip(_tasks).All(c => c == 0);
        public int Threads => _threadIds.Take(_tasks).Distinct().Count();
    }

    // Big enough to pass the kernels' parallel thresholds, one per way the work is split.
    private static readonly ConvShape[] ThreadedShapes =
    [
        new(4, 8, 24, 24, 16, 3, 3, 1, 1, 1, 1),             // implicit GEMM, split over images
        new(1, 16, 24, 24, 32, 3, 3, 2, 2, 1, 1),            // batch 1: split inside each GEMM
        new(2, 32, 20, 20, 64, 1, 1),                        // pointwise
        new(1, 32, 30, 30, 64, 5, 5, 1, 1, 2, 2, Groups: 2), // grouped, input gradient in several column chunks
        new(2, 32, 28, 28, 32, 3, 3, 1, 1, 1, 1, Groups: 32), // depthwise
        new(16, 256, 7, 7, 256, 7, 7, Groups: 256),          // GDConv
        new(2, 64, 6, 6, 32, 3, 3, 1, 1, 1, 1),              // batch-wide forward with k split over threads
        new(4, 64, 14, 14, 64, 3, 3, 2, 2, 1, 1),            // channels-last weight gradient, k split over threads
        new(2, 32, 28, 28, 32, 3, 3, 1, 1, 1, 1),            // padded rows, forward and flipped-kernel input gradient
        new(8, 32, 7, 7, 64, 3, 3, 1, 1, 1, 1),              // batch-wide: GEMM tiles of whole images scatter themselves
        new(3, 128, 4, 4, 16, 3, 3, 1, 1, 1, 1),             // input gradient cut into channel×tap row groups
    ];

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    public void Threaded_results_equal_single_threaded_results(int shapeIndex)
    {
        // Weight gradients split their long k over threads, so their summation order (not their value) depends on
        // the thread count: every pass must match the reference as closely as the single-threaded one does, and
        // repeat exactly at a given count. Forward and input gradient cut only outputs, so they equal the
        // single-threaded result bit for bit.
        var s = ThreadedShapes[shapeIndex];
        var (x, w, go) = (KernelAssert.Random(s.InputLength, 1), KernelAssert.Random(s.WeightLength, 2), KernelAssert.Random(s.OutputLength, 3));
        var expected = Run(s, x, w, go, reference: true);
        var scale = Run(s, KernelAssert.Abs(x), KernelAssert.Abs(w), KernelAssert.Abs(go), reference: true);
        var saved = KernelThreads.Count;
        try
        {
            float[][]? single = null;
            foreach (var threads in new[] { 1, 2, 5 })
            {
                KernelThreads.Count = threads;
                var pooled = KernelParallel.PooledRuns;
                var actual = Run(s, x, w, go, reference: false);
                single ??= actual;
                Assert.Equal(single[0], actual[0]);
                Assert.Equal(single[1], actual[1]);
                if (threads > 1) Assert.True(KernelParallel.PooledRuns >= pooled + 3, "every pass should have run on the pool");
                string[] passes = ["forward", "input gradient", "weight gradient", "bias gradient"];
                for (var i = 0; i < passes.Length; i++) KernelAssert.Close(expected[i], actual[i], scale[i], $"{passes[i]}, {threads} threads");
                Assert.Equal(actual, Run(s, x, w, go, reference: false));
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }

        static float[][] Run(ConvShape s, float[] x, float[] w, float[] go, bool reference)
        {
            var (y, gi, gw, gb) = (new float[s.OutputLength], new float[s.InputLength], new float[s.WeightLength], new float[s.OutChannels]);
            if (reference)
            {
                ReferenceKernels.ConvForward(s, x, w, [], y);
                ReferenceKernels.ConvBackwardInput(s, go, w, gi);
                ReferenceKernels.ConvBackwardWeight(s, x, go, gw, gb);
            }
            else
            {
                Conv2dKernels.Forward(s, x, w, [], y);
                Conv2dKernels.BackwardInput(s, go, w, gi);
                Conv2dKernels.BackwardWeight(s, x, go, gw, gb);
            }
            return [y, gi, gw, gb];
        }
    }

    [Fact]
    public void Warm_calls_allocate_nothing()
    {
        var saved = KernelThreads.Count;
        try
        {
            KernelThreads.Count = 2;
            foreach (var s in ThreadedShapes.Append(ConvTests.Shapes[11]))
            {
                var (x, w, go) = (KernelAssert.Random(s.InputLength, 1), KernelAssert.Random(s.WeightLength, 2), KernelAssert.Random(s.OutputLength, 3));
                var (y, gi, gw, gb) = (new float[s.OutputLength], new float[s.InputLength], new float[s.WeightLength], new float[s.OutChannels]);
                var (a, c) = (KernelAssert.Random(64 * 64, 4), new float[64 * 64]);
                void Step()
                {
                    Conv2dKernels.Forward(s, x, w, gb, y);
                    Conv2dKernels.BackwardInput(s, go, w, gi);
                    Conv2dKernels.BackwardWeight(s, x, go, gw, gb);
                    Gemm.Multiply(false, true, 64, 64, 64, a, 64, a, 64, c, 64);
                }
                Step();
                // Steady state: the least over a few rounds of 5 warm steps. A per-step allocation shows in every
                // round; what a thread makes once, the first time the pool happens to hand it a task it had not run
                // (about 9 kB, seen 1 run in 12 under DOTNET_EnableAVX2=0), shows in one round at most.
                var least = long.MaxValue;
                for (var round = 0; round < 4 && least > 0; round++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    for (var i = 0; i < 5; i++) Step();
                    least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
                }
                Assert.True(least == 0, $"{s}: {least} bytes allocated by every round of 5 warm steps");
            }
        }
        finally
        {
            KernelThreads.Count = saved;
        }
    }
}
