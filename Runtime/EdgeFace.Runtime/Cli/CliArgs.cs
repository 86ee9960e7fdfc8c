using System.Globalization;

namespace EdgeFace.Runtime.Cli;

/// <summary>
/// A small command-line parser shared by <c>edgeface</c> and <c>edgeface-train</c>:
/// positionals, <c>--name value</c>, <c>--name=value</c> and boolean <c>--flag</c>s.
/// Every lookup is recorded so <see cref="EnsureAllUsed"/> can reject misspelt options.
/// Errors are <see cref="EdgeFaceException"/>s so hosts print them as one line.
/// </summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, List<string>> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _flags = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string> _flagNames;

    public IReadOnlyList<string> Positionals { get; }

    /// <param name="args">Arguments after the command words.</param>
    /// <param name="flagNames">Options that take no value (e.g. "json"), without the leading dashes.</param>
    public CliArgs(IEnumerable<string> args, IEnumerable<string>? flagNames = null)
    {
        _flagNames = new HashSet<string>(flagNames ?? [], StringComparer.Ordinal);
        var positionals = new List<string>();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (a == "--") { positionals.AddRange(list.Skip(i + 1)); break; }
            if (!a.StartsWith("--", StringComparison.Ordinal) || a.Length == 2) { positionals.Add(a); continue; }
            var name = a[2..];
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
            if (_flagNames.Contains(name))
            {
                if (value is not null && !bool.TryParse(value, out _)) throw new EdgeFaceException($"--{name} takes no value");
                if (value is null || bool.Parse(value)) _flags.Add(name);
                continue;
            }
            if (value is null)
            {
                if (i + 1 >= list.Count) throw new EdgeFaceException($"--{name} needs a value");
                value = list[++i];
            }
            if (!_options.TryGetValue(name, out var values)) _options[name] = values = [];
            values.Add(value);
        }
        Positionals = positionals;
    }

    public bool Flag(string name) { _used.Add(name); return _flags.Contains(name); }

    public string? Get(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v[^1] : null;
    }

    public IReadOnlyList<string> GetAll(string name)
    {
        _used.Add(name);
        return _options.TryGetValue(name, out var v) ? v : [];
    }

    public string Require(string name) => Get(name) ?? throw new EdgeFaceException($"missing required option --{name}");

    public double GetDouble(string name, double fallback) => Get(name) is { } s ? ParseDouble(name, s) : fallback;
    public double? GetDouble(string name) => Get(name) is { } s ? ParseDouble(name, s) : null;

    public int GetInt(string name, int fallback)
    {
        var s = Get(name);
        if (s is null) return fallback;
        return int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw new EdgeFaceException($"--{name} must be a whole number, got '{s}'");
    }

    private static double ParseDouble(string name, string s) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw new EdgeFaceException($"--{name} must be a number, got '{s}'");

    public string Positional(int index, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new EdgeFaceException($"missing {what}");

    /// <summary>Rejects options the command never asked about, and surplus positionals.</summary>
    public void EnsureAllUsed(int maxPositionals = int.MaxValue)
    {
        var unknown = _options.Keys.Concat(_flags).Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new EdgeFaceException($"unknown option --{unknown[0]}");
        if (Positionals.Count > maxPositionals)
            throw new EdgeFaceException($"unexpected argument '{Positionals[maxPositionals]}'");
    }
}
