using EdgeFace.Runtime.Models;
using Microsoft.ML.OnnxRuntime;

namespace EdgeFace.Runtime.Inference;

/// <summary>
/// Opens verified <see cref="ModelSession"/>s on the requested device. For an accelerator (explicit or via
/// <c>auto</c>) the session is created, then self-tested on a fixed deterministic input against a CPU session;
/// if creation fails, the provider is absent from this build, or the outputs disagree beyond tolerance, the model
/// runs on CPU and the reason is passed to <see cref="Log"/> and kept in <see cref="ModelSession.FallbackReason"/>.
/// </summary>
public sealed class SessionFactory(DeviceRequest device, Action<string>? log = null, int intraOpThreads = 0)
{
    /// <summary>Largest |accelerator - cpu| allowed in the self-test, relative to max(1, |cpu|).</summary>
    public const float SelfTestTolerance = 1e-2f;

    public DeviceRequest Device { get; } = device;
    public Action<string>? Log { get; } = log;
    /// <summary>ONNX Runtime intra-op threads; 0 lets ONNX Runtime choose (one per physical core).</summary>
    public int IntraOpThreads { get; } = intraOpThreads;

    /// <summary>Accelerators compiled into this build, in the order <c>auto</c> tries them.</summary>
    public static IReadOnlyList<DeviceKind> BuildAccelerators { get; } =
#if EDGEFACE_DIRECTML
        [DeviceKind.DirectML];
#else
        [];
#endif

    /// <summary>Checks the file hash, opens the graph, checks it against the manifest and places it on a device.</summary>
    public ModelSession Open(ModelEntry entry)
    {
        entry.RequireManifest();
        ModelValidator.CheckHash(entry);
        var attempts = Device.Kind switch
        {
            DeviceKind.Cpu => [],
            DeviceKind.Auto => BuildAccelerators.Select(k => new DeviceRequest(k, Device.DeviceId)).ToList(),
            _ => new List<DeviceRequest> { Device },
        };
        string? reason = null;
        foreach (var attempt in attempts)
        {
            var failure = TryAccelerator(entry, attempt, out var session);
            if (session is not null) return new ModelSession(entry, session, attempt.ToString(), null);
            reason = $"{attempt} unavailable for {entry.FileName}: {failure}; using cpu";
            Log?.Invoke(reason);
        }
        return new ModelSession(entry, CreateChecked(entry, DeviceRequest.Cpu), "cpu", reason);
    }

    private string? TryAccelerator(ModelEntry entry, DeviceRequest attempt, out InferenceSession? session)
    {
        session = null;
        if (!BuildAccelerators.Contains(attempt.Kind))
            return attempt.Kind == DeviceKind.DirectML
                ? "DirectML is not in this build (Windows builds only)"
                : $"{attempt.Kind} execution provider is not in this build (providers: {string.Join(", ", OrtEnv.Instance().GetAvailableProviders())})";
        InferenceSession? candidate = null;
        try
        {
            candidate = CreateChecked(entry, attempt);
            using var cpu = CreateChecked(entry, DeviceRequest.Cpu);
            var difference = SelfTest.MaxRelativeDifference(candidate, cpu);
            if (!(difference <= SelfTestTolerance))
            {
                candidate.Dispose();
                return $"self-test output differs from cpu by {difference:G3} (tolerance {SelfTestTolerance})";
            }
            session = candidate;
            return null;
        }
        catch (Exception e) when (e is OnnxRuntimeException or EdgeFaceException or EntryPointNotFoundException or DllNotFoundException)
        {
            candidate?.Dispose();
            return e.Message.Split('\n')[0];
        }
    }

    private InferenceSession CreateChecked(ModelEntry entry, DeviceRequest target)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = IntraOpThreads,
            InterOpNumThreads = 1,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        switch (target.Kind)
        {
            case DeviceKind.Cuda:
                options.AppendExecutionProvider_CUDA(target.DeviceId);
                break;
            case DeviceKind.DirectML:
#if EDGEFACE_DIRECTML
                // DirectML needs sequential execution and no memory-pattern planning.
                options.EnableMemoryPattern = false;
                options.AppendExecutionProvider_DML(target.DeviceId);
                break;
#else
                throw new EdgeFaceException("DirectML is not in this build");
#endif
        }
        InferenceSession session;
        try { session = new InferenceSession(entry.Path, options); }
        catch (OnnxRuntimeException e) when (target.Kind == DeviceKind.Cpu)
        {
            throw new EdgeFaceException($"{entry.FileName}: not a loadable ONNX model ({FirstLine(e.Message)})", e);
        }
        try { ModelValidator.CheckGraph(entry, session); }
        catch { session.Dispose(); throw; }
        return session;
    }

    private static string FirstLine(string s)
    {
        var line = s.Split('\n')[0].Trim();
        return line.Length > 200 ? line[..200] + "..." : line;
    }
}
