using System.Globalization;

namespace EdgeFace.Runtime.Inference;

/// <summary>Execution provider families EdgeFace knows.</summary>
public enum DeviceKind { Auto, Cpu, DirectML, Cuda }

/// <summary>
/// A parsed <c>--device</c> value: <c>auto</c>, <c>cpu</c>, <c>directml[:N]</c> or <c>cuda[:N]</c>.
/// Asking for an accelerator is a preference: if it is missing or fails its self-test, sessions fall back to CPU
/// and say why.
/// </summary>
public readonly record struct DeviceRequest(DeviceKind Kind, int DeviceId = 0)
{
    public static DeviceRequest Cpu => new(DeviceKind.Cpu);
    public static DeviceRequest Auto => new(DeviceKind.Auto);

    public static DeviceRequest Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Auto;
        var parts = text.Trim().ToLowerInvariant().Split(':');
        var kind = parts[0] switch
        {
            "auto" => DeviceKind.Auto,
            "cpu" => DeviceKind.Cpu,
            "directml" or "dml" => DeviceKind.DirectML,
            "cuda" => DeviceKind.Cuda,
            _ => throw new EdgeFaceException($"unknown device '{text}' (expected auto, cpu, directml[:N] or cuda[:N])"),
        };
        var id = 0;
        if (parts.Length > 2 || (parts.Length == 2 && (kind is DeviceKind.Auto or DeviceKind.Cpu
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out id))))
            throw new EdgeFaceException($"unknown device '{text}' (expected auto, cpu, directml[:N] or cuda[:N])");
        return new DeviceRequest(kind, id);
    }

    public override string ToString() => Kind switch
    {
        DeviceKind.Auto => "auto",
        DeviceKind.Cpu => "cpu",
        DeviceKind.DirectML => $"directml:{DeviceId}",
        _ => $"cuda:{DeviceId}",
    };
}
