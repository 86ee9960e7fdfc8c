using System.Diagnostics;

namespace EdgeFace.Trainer.Engine;

/// <summary>
/// Forward and backward milliseconds per tape position, summed over profiled steps. An op's forward time is the
/// time since the previous op was recorded: ops record themselves when their forward ends, so the gap between two
/// records is the later op's forward (plus any unrecorded glue, such as reshapes). Only for benchmarks: a profiled
/// step allocates its labels.
/// </summary>
public sealed class StepProfile
{
    private readonly List<Row> _rows = [];
    private long _lastRecord;
    private int _position;

    public int Steps { get; private set; }
    /// <summary>Wall time of the profiled steps, set by the caller; what the rows do not cover is loss, optimizer and glue.</summary>
    public double TotalMs { get; set; }
    public IReadOnlyList<Row> Rows => _rows;

    /// <summary>One tape position: the op and its output shape, and the summed times.</summary>
    public sealed class Row(string op, string shape)
    {
        public string Op { get; } = op;
        public string Shape { get; } = shape;
        public double ForwardMs { get; set; }
        public double BackwardMs { get; set; }
    }

    internal void BeginStep()
    {
        _position = 0;
        _lastRecord = Stopwatch.GetTimestamp();
        Steps++;
    }

    /// <summary>Restarts the forward clock, so set-up before the first op (zeroing gradients) is not charged to it.</summary>
    internal void MarkInput() => _lastRecord = Stopwatch.GetTimestamp();

    internal void Recorded(in TapeEntry e)
    {
        var now = Stopwatch.GetTimestamp();
        var row = RowAt(_position++, e);
        row.ForwardMs += Stopwatch.GetElapsedTime(_lastRecord, now).TotalMilliseconds;
        _lastRecord = now;
    }

    internal void Backward(int position, in TapeEntry e, long start) =>
        RowAt(position, e).BackwardMs += Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    private Row RowAt(int position, in TapeEntry e)
    {
        while (_rows.Count <= position) _rows.Add(new Row(e.Op.GetType().Name, e.Output.Shape));
        return _rows[position];
    }
}
