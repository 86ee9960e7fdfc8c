using System.Globalization;
using System.Text.RegularExpressions;
using EdgeFace.Runtime;

namespace EdgeFace.Trainer.Data;

/// <summary>
/// Which identities (folders / writers) of a dataset to use, so that training and held-out identities never mix:
/// select with one selection and hold out with its <see cref="Complement"/>. Immutable; <see cref="ToString"/>
/// gives the spec back for run configs. Spec syntax (<see cref="Parse"/>):
/// <list type="bullet">
/// <item><c>all</c> (or empty): every identity.</item>
/// <item><c>s1-s30,s35,Bill_Gates</c>: a union of names and inclusive numeric ranges (same prefix, e.g. <c>001-040</c>).</item>
/// <item><c>@names.txt</c> inside a list: the names in that file, one per line (<c>#</c> starts a comment).</item>
/// <item><c>fraction:0.8:42</c>: a seeded random 80 % of the identities (seed 42; default 0).</item>
/// <item><c>!SPEC</c>: every identity that SPEC does not select.</item>
/// </list>
/// Named identities and ranges that match nothing are errors, so a typo cannot silently empty a split.
/// </summary>
public sealed partial class IdentitySelection
{
    private readonly string _spec;
    private readonly Func<IReadOnlyList<string>, string, HashSet<string>> _select;

    private IdentitySelection(string spec, Func<IReadOnlyList<string>, string, HashSet<string>> select)
    {
        _spec = spec;
        _select = select;
    }

    public static IdentitySelection All { get; } = new("all", (ids, _) => new HashSet<string>(ids, StringComparer.Ordinal));

    /// <summary>Exactly these identities (each must exist).</summary>
    public static IdentitySelection Names(IEnumerable<string> names)
    {
        var list = names.ToArray();
        return new(string.Join(',', list), (ids, origin) => SelectItems(list, ids, origin));
    }

    /// <summary>A seeded random <paramref name="fraction"/> of the identities (at least one, rounded to nearest).</summary>
    public static IdentitySelection Fraction(double fraction, ulong seed = 0)
    {
        if (!(fraction > 0 && fraction <= 1))
            throw new EdgeFaceException($"identity fraction {fraction.ToString(CultureInfo.InvariantCulture)} must be in (0, 1]");
        return new($"fraction:{fraction.ToString(CultureInfo.InvariantCulture)}:{seed}", (ids, _) =>
        {
            var order = ids.Order(NaturalStringComparer.Instance).ToArray();
            new DeterministicRandom(DeterministicRandom.Derive(seed, 0x5E1EC7)).Shuffle(order.AsSpan());
            var take = Math.Clamp((int)Math.Round(fraction * order.Length, MidpointRounding.AwayFromZero), 1, order.Length);
            return new HashSet<string>(order.Take(take), StringComparer.Ordinal);
        });
    }

    /// <summary>The identities this selection leaves out: use it for the held-out split.</summary>
    public IdentitySelection Complement() => new(_spec.StartsWith('!') ? _spec[1..] : "!" + _spec, (ids, origin) =>
    {
        var selected = _select(ids, origin);
        return new HashSet<string>(ids.Where(i => !selected.Contains(i)), StringComparer.Ordinal);
    });

    /// <summary>Parses the spec syntax described on the type. Throws <see cref="EdgeFaceException"/> naming the bad part.</summary>
    public static IdentitySelection Parse(string? spec)
    {
        spec = spec?.Trim() ?? "";
        if (spec.Length == 0 || spec == "all") return All;
        if (spec.StartsWith('!')) return Parse(spec[1..]).Complement();
        if (spec.StartsWith("fraction:", StringComparison.Ordinal))
        {
            var parts = spec.Split(':');
            if (parts.Length is < 2 or > 3
                || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var f)
                || (parts.Length == 3 && !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _)))
                throw new EdgeFaceException($"identity selection '{spec}': expected fraction:F or fraction:F:SEED, e.g. fraction:0.8:42");
            return Fraction(f, parts.Length == 3 ? ulong.Parse(parts[2], CultureInfo.InvariantCulture) : 0);
        }
        var items = spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new(spec, (ids, origin) => SelectItems(items, ids, origin));
    }

    /// <summary>The selected identities, in the order of <paramref name="identities"/>.</summary>
    /// <param name="origin">The dataset root, named in error messages.</param>
    public IReadOnlyList<string> Apply(IReadOnlyList<string> identities, string origin)
    {
        var selected = _select(identities, origin);
        return identities.Where(selected.Contains).ToArray();
    }

    public override string ToString() => _spec;

    private static HashSet<string> SelectItems(IEnumerable<string> items, IReadOnlyList<string> ids, string origin)
    {
        var known = new HashSet<string>(ids, StringComparer.Ordinal);
        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in ExpandFiles(items))
        {
            var range = RangePattern().Match(item);
            if (range.Success && range.Groups["p1"].Value == range.Groups["p2"].Value)
            {
                var prefix = range.Groups["p1"].Value;
                var lo = decimal.Parse(range.Groups["a"].Value, CultureInfo.InvariantCulture);
                var hi = decimal.Parse(range.Groups["b"].Value, CultureInfo.InvariantCulture);
                var matches = ids.Where(id => IsInRange(id, prefix, lo, hi)).ToArray();
                if (matches.Length == 0) throw new EdgeFaceException($"identity range '{item}' matches no identity in {origin}");
                selected.UnionWith(matches);
            }
            else if (known.Contains(item)) selected.Add(item);
            else throw new EdgeFaceException($"identity '{item}' not found in {origin}");
        }
        return selected;
    }

    private static bool IsInRange(string id, string prefix, decimal lo, decimal hi)
    {
        var m = NumberedPattern().Match(id);
        if (!m.Success || m.Groups["p"].Value != prefix) return false;
        var n = decimal.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture);
        return n >= lo && n <= hi;
    }

    private static IEnumerable<string> ExpandFiles(IEnumerable<string> items)
    {
        foreach (var item in items)
        {
            if (!item.StartsWith('@')) { yield return item; continue; }
            var file = item[1..];
            if (!File.Exists(file)) throw new EdgeFaceException($"identity list file not found: {file}");
            foreach (var line in File.ReadLines(file))
            {
                var name = line.Split('#')[0].Trim();
                if (name.Length > 0) yield return name;
            }
        }
    }

    [GeneratedRegex(@"^(?<p1>\D*)(?<a>\d{1,18})-(?<p2>\D*)(?<b>\d{1,18})$")]
    private static partial Regex RangePattern();

    [GeneratedRegex(@"^(?<p>\D*)(?<n>\d{1,18})$")]
    private static partial Regex NumberedPattern();
}
