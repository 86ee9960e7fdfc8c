using EdgeFace.Trainer.Kernels;

namespace EdgeFace.Trainer.Tests.Kernels;

[Trait("Category", "Kernels")]
public sealed class ConvTests
{
    // Stride 1/2/4, padding 0/1/3, groups 1/2/depthwise, kernels 1/3/5/7/11, batch 1 and 3.
    public static readonly ConvShape[] Shapes =
    [
        new(1, 3, 9, 11, 5, 3, 3, 1, 1, 1, 1),
        new(3, 4, 10, 10, 6, 3, 3, 2, 2, 1, 1, Groups: 2),
        new(1, 8, 12, 12, 8, 1, 1),                        // pointwise: plain GEMM
        new(3, 6, 7, 9, 4, 1, 1, 2, 2, 0, 0, Groups: 2),   // 1×1 stride 2
        new(1, 2, 13, 13, 3, 5, 5, 1, 1, 3, 3),
        new(3, 3, 16, 16, 4, 7, 7, 2, 2, 3, 3),
        new(1, 1, 40, 50, 4, 11, 11, 4, 4, 0, 0),          // SigNet's first layer, scaled down
        new(1, 2, 11, 11, 2, 11, 11),                      // kernel covers the image: 1×1 output
        new(1, 3, 10, 12, 4, 3, 5, 1, 2, 1, 2),            // asymmetric kernel, stride and padding
        new(3, 8, 24, 24, 16, 3, 3, 1, 1, 1, 1),           // weight-gradient depth crosses several k blocks
        new(1, 64, 16, 16, 4, 5, 5, 1, 1, 2, 2),           // input gradient in several column chunks
        new(3, 5, 9, 9, 5, 3, 3, 1, 1, 1, 1, Groups: 5),   // depthwise 3×3 s1
        new(1, 4, 17, 17, 4, 3, 3, 2, 2, 1, 1, Groups: 4), // depthwise 3×3 s2
        new(3, 6, 7, 7, 6, 7, 7, Groups: 6),               // MobileFaceNet GDConv
        new(1, 3, 20, 21, 3, 5, 5, 2, 2, 3, 3, Groups: 3),
        new(1, 2, 33, 40, 2, 3, 3, 1, 1, 1, 1, Groups: 2), // rows wider than a vector
        new(3, 4, 15, 15, 4, 11, 11, 4, 4, 3, 3, Groups: 4),
        new(1, 3, 12, 12, 3, 1, 1, Groups: 3),
        new(1, 4, 8, 8, 8, 3, 3, 1, 1, 1, 1, Groups: 4),   // channel multiplier 2: grouped, not depthwise
        // Planes above BatchedColumnsConv.MaxPlane go image by image; the rest batch-wide, panels crossing images.
        new(2, 4, 24, 24, 6, 3, 3, 1, 1, 1, 1),            // 576-pixel plane: image by image
        new(2, 8, 24, 24, 8, 1, 1),                        // pointwise, image by image
        new(2, 4, 20, 20, 6, 3, 3, 1, 1, 1, 1),            // 400-pixel plane: batch-wide
        new(3, 16, 7, 7, 24, 1, 1, Groups: 2),             // pointwise grouped, batch-wide
        new(6, 64, 16, 16, 4, 5, 5, 1, 1, 2, 2),           // batch-wide input gradient in several column blocks
        // Ungrouped, input channels a multiple of every path's panel: weight gradient from a channels-last copy.
        new(2, 32, 9, 9, 8, 3, 3, 2, 2, 1, 1),             // stride 2, taps in and out of the padding
        new(3, 64, 6, 7, 13, 3, 5, 1, 2, 1, 2),            // asymmetric kernel, stride and padding; 13 rows of C
        // Stride 1, padded, wide rows, image by image: zero-bordered planes at the padded width (both directions).
        new(2, 5, 24, 30, 7, 3, 3, 1, 1, 1, 1),
        new(1, 3, 20, 60, 4, 3, 5, 1, 1, 1, 2),            // asymmetric kernel and padding
        // Stride 1, planes kept: col2im adds each tap as one masked pass over the plane.
        new(4, 16, 4, 4, 8, 3, 3, 1, 1, 1, 1),             // ResNet's 4×4: a vector spans four rows
        new(3, 8, 7, 7, 8, 3, 3, 1, 1, 1, 1),              // 7×7: passes end in a scalar tail
        new(7, 96, 13, 13, 4, 5, 5, 1, 1, 2, 2),           // column blocks split an image
    ];

    public static IEnumerable<object[]> Cases() =>
        from path in KernelAssert.SimdPaths
        from index in Enumerable.Range(0, Shapes.Length)
        select new object[] { path, index };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_matches_reference(KernelPath path, int shapeIndex)
    {
        var s = Shapes[shapeIndex];
        var (x, w, b) = (KernelAssert.Random(s.InputLength, 1), KernelAssert.Random(s.WeightLength, 2), KernelAssert.Random(s.OutChannels, 3));
        var scale = new float[s.OutputLength];
        ReferenceKernels.ConvForward(s, KernelAssert.Abs(x), KernelAssert.Abs(w), KernelAssert.Abs(b), scale);
        foreach (var bias in new[] { b, [] })
        {
            var expected = new float[s.OutputLength];
            ReferenceKernels.ConvForward(s, x, w, bias, expected);
            var actual = KernelAssert.Random(s.OutputLength, 4); // forward must overwrite
            if (!KernelAssert.RequireOrProveUnsupported(path, () => Conv2dKernels.Forward(path, s, x, w, bias, actual))) return;
            Conv2dKernels.Forward(path, s, x, w, bias, actual);
            KernelAssert.Close(expected, actual, scale, $"{path} forward {s} bias={bias.Length}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_input_matches_reference(KernelPath path, int shapeIndex)
    {
        var s = Shapes[shapeIndex];
        var (go, w) = (KernelAssert.Random(s.OutputLength, 5), KernelAssert.Random(s.WeightLength, 6));
        var initial = KernelAssert.Random(s.InputLength, 7); // backward accumulates
        var expected = (float[])initial.Clone();
        ReferenceKernels.ConvBackwardInput(s, go, w, expected);
        var scale = KernelAssert.Abs(initial);
        ReferenceKernels.ConvBackwardInput(s, KernelAssert.Abs(go), KernelAssert.Abs(w), scale);
        var actual = (float[])initial.Clone();
        if (!KernelAssert.RequireOrProveUnsupported(path, () => Conv2dKernels.BackwardInput(path, s, go, w, actual))) return;
        Conv2dKernels.BackwardInput(path, s, go, w, actual);
        KernelAssert.Close(expected, actual, scale, $"{path} backward-input {s}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_input_overwrites_when_asked(KernelPath path, int shapeIndex)
    {
        var s = Shapes[shapeIndex];
        var (go, w) = (KernelAssert.Random(s.OutputLength, 5), KernelAssert.Random(s.WeightLength, 6));
        var expected = new float[s.InputLength];
        ReferenceKernels.ConvBackwardInput(s, go, w, expected);
        var scale = new float[s.InputLength];
        ReferenceKernels.ConvBackwardInput(s, KernelAssert.Abs(go), KernelAssert.Abs(w), scale);
        // Stale memory: any element added to rather than written would stay NaN.
        var actual = Enumerable.Repeat(float.NaN, s.InputLength).ToArray();
        if (!KernelAssert.RequireOrProveUnsupported(path, () => Conv2dKernels.BackwardInput(path, s, go, w, actual, accumulate: false))) return;
        Conv2dKernels.BackwardInput(path, s, go, w, actual, accumulate: false);
        KernelAssert.Close(expected, actual, scale, $"{path} backward-input overwrite {s}");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Backward_weight_matches_reference(KernelPath path, int shapeIndex)
    {
        var s = Shapes[shapeIndex];
        var (x, go) = (KernelAssert.Random(s.InputLength, 8), KernelAssert.Random(s.OutputLength, 9));
        var (w0, b0) = (KernelAssert.Random(s.WeightLength, 10), KernelAssert.Random(s.OutChannels, 11));
        var (expectedW, expectedB) = ((float[])w0.Clone(), (float[])b0.Clone());
        ReferenceKernels.ConvBackwardWeight(s, x, go, expectedW, expectedB);
        var (scaleW, scaleB) = (KernelAssert.Abs(w0), KernelAssert.Abs(b0));
        ReferenceKernels.ConvBackwardWeight(s, KernelAssert.Abs(x), KernelAssert.Abs(go), scaleW, scaleB);
        var (actualW, actualB) = ((float[])w0.Clone(), (float[])b0.Clone());
        if (!KernelAssert.RequireOrProveUnsupported(path, () => Conv2dKernels.BackwardWeight(path, s, x, go, actualW, actualB))) return;
        Conv2dKernels.BackwardWeight(path, s, x, go, actualW, actualB);
        KernelAssert.Close(expectedW, actualW, scaleW, $"{path} backward-weight {s}");
        KernelAssert.Close(expectedB, actualB, scaleB, $"{path} backward-bias {s}");
        // Without a bias gradient only the weights move.
        var noBias = (float[])w0.Clone();
        Conv2dKernels.BackwardWeight(path, s, x, go, noBias, []);
        Assert.Equal(actualW, noBias);
    }

    [Fact]
    public void Bad_shapes_and_short_spans_are_rejected()
    {
        var s = new ConvShape(1, 3, 8, 8, 4, 3, 3, 1, 1, 1, 1);
        var ok = (new float[s.InputLength], new float[s.WeightLength], new float[s.OutputLength]);
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(s, ok.Item1.AsSpan(1), ok.Item2, [], ok.Item3));
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(s, ok.Item1, ok.Item2, new float[2], ok.Item3));
        Assert.Throws<ArgumentException>(() => Conv2dKernels.BackwardWeight(s, ok.Item1, ok.Item3, new float[5], []));
        var badGroups = s with { Groups = 2 };
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(badGroups, ok.Item1, ok.Item2, [], ok.Item3));
        var badStride = s with { StrideH = 0 };
        Assert.Throws<ArgumentException>(() => Conv2dKernels.Forward(badStride, ok.Item1, ok.Item2, [], ok.Item3));
    }
}
