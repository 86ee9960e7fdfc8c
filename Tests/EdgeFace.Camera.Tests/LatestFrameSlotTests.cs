using EdgeFace.Camera.Sources;
using OpenCvSharp;

namespace EdgeFace.Camera.Tests;

public sealed class LatestFrameSlotTests
{
    [Fact]
    public void Reader_gets_the_newest_frame_and_overwritten_frames_count_as_dropped()
    {
        using var slot = new LatestFrameSlot();
        Assert.False(slot.TryTake(out _, out _));
        for (var i = 0; i < 3; i++)
        {
            slot.WriteBuffer.Create(4, 4, MatType.CV_8UC1);
            slot.WriteBuffer.SetTo(new Scalar(i));
            slot.Publish(i);
        }
        Assert.True(slot.TryTake(out var frame, out var seq));
        Assert.Equal(2, seq);
        Assert.Equal(2, frame.At<byte>(0, 0));
        Assert.Equal(2, slot.Dropped);
        Assert.False(slot.TryTake(out _, out _)); // nothing new: no stale frame handed out twice
    }

    [Fact]
    public void Buffers_are_reused_not_reallocated()
    {
        using var slot = new LatestFrameSlot();
        var seen = new HashSet<IntPtr>();
        for (var i = 0; i < 50; i++)
        {
            slot.WriteBuffer.Create(8, 8, MatType.CV_8UC3);
            seen.Add(slot.WriteBuffer.Data);
            slot.Publish(i);
            if (i % 2 == 0) slot.TryTake(out _, out _);
        }
        Assert.True(seen.Count <= 3, $"{seen.Count} distinct pixel buffers");
    }

    [Fact]
    public void Concurrent_writer_and_reader_never_see_a_torn_or_old_frame()
    {
        using var slot = new LatestFrameSlot();
        const int frames = 5000;
        var writer = new Thread(() =>
        {
            for (var i = 0; i < frames; i++)
            {
                slot.WriteBuffer.Create(2, 2, MatType.CV_32SC1);
                slot.WriteBuffer.SetTo(new Scalar(i));
                slot.Publish(i);
            }
        });
        writer.Start();
        long last = -1, taken = 0;
        while (writer.IsAlive || last < frames - 1)
        {
            if (!slot.TryTake(out var f, out var seq)) continue;
            Assert.True(seq > last, $"sequence went from {last} to {seq}");
            Assert.Equal(seq, f.At<int>(1, 1));
            last = seq;
            taken++;
        }
        writer.Join();
        Assert.Equal(frames, taken + slot.Dropped);
    }
}
