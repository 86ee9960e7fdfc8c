using System.Globalization;

namespace EdgeFace.Runtime.Signatures;

/// <summary>
/// A set of writer ids written as ranges and single ids, e.g. "041-048", "1,3,5" or "001-010,015".
/// A range selects the writers of the dataset that fall inside it (datasets have gaps); a single id must exist.
/// </summary>
public sealed class WriterSelection
{
    private readonly List<(int From, int To)> _ranges;

    private WriterSelection(string text, List<(int From, int To)> ranges)
    {
        Text = text;
        _ranges = ranges;
    }

    /// <summary>The selection as the user wrote it.</summary>
    public string Text { get; }

    /// <summary>Parses the selection, throwing <see cref="EdgeFaceException"/> that quotes the bad part.</summary>
    public static WriterSelection Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new EdgeFaceException("writer selection is empty (expected e.g. 041-048 or 1,3,5)");
        var ranges = new List<(int, int)>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var dash = part.IndexOf('-', 1);
            if (dash < 0)
            {
                var id = ParseId(part, text);
                ranges.Add((id, id));
                continue;
            }
            var from = ParseId(part[..dash].Trim(), text);
            var to = ParseId(part[(dash + 1)..].Trim(), text);
            if (to < from) throw new EdgeFaceException($"writer range '{part}' in '{text}' runs backwards");
            ranges.Add((from, to));
        }
        return new WriterSelection(text, ranges);
    }

    private static int ParseId(string part, string text) =>
        int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0 ? id
            : throw new EdgeFaceException($"'{part}' in writer selection '{text}' is not a writer id (expected e.g. 041-048 or 1,3,5)");

    /// <summary>
    /// The selected ids among <paramref name="available"/>, ascending. Throws when a single id is missing or a range
    /// matches nothing, naming it and <paramref name="datasetName"/>.
    /// </summary>
    public IReadOnlyList<int> Resolve(IReadOnlyCollection<int> available, string datasetName)
    {
        var present = available.ToHashSet();
        var chosen = new SortedSet<int>();
        foreach (var (from, to) in _ranges)
        {
            var before = chosen.Count;
            for (var id = from; id <= to; id++) if (present.Contains(id)) chosen.Add(id);
            if (from == to && !present.Contains(from))
                throw new EdgeFaceException($"writer {from:000} is not in {datasetName}");
            if (chosen.Count == before && from != to && !Enumerable.Range(from, to - from + 1).Any(present.Contains))
                throw new EdgeFaceException($"no writer of {datasetName} lies in {from:000}-{to:000}");
        }
        return chosen.ToList();
    }
}
