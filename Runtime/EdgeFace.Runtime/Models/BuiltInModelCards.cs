namespace EdgeFace.Runtime.Models;

/// <summary>
/// Manifests for the well-known public models (see ../shared/models/MODELS.md), recognised by SHA-256 so a user
/// can drop such a file into a models folder without writing a manifest. The cards describe the files exactly as
/// published; licences are quoted so nobody ships a non-commercial model by accident.
/// </summary>
public static class BuiltInModelCards
{
    private static readonly float[] Zero3 = [0f, 0f, 0f];
    private static readonly float[] One3 = [1f, 1f, 1f];

    private static ModelManifest YuNet(string id, string sha, int size, string license, string source) => new()
    {
        Id = id, Task = ModelTask.FaceDetector, Family = "yunet", Sha256 = sha,
        Input = new ModelInput
        {
            Name = "input", Width = size, Height = size, ColorOrder = "BGR", Scale = 1f, Mean = Zero3, Std = One3,
            Resize = size > 0 ? ResizeMode.Letterbox : ResizeMode.Pad, PadCentered = false, SizeMultiple = 32,
        },
        License = license, Source = source,
        Parameters = new() { ["score_threshold"] = 0.6, ["nms_iou"] = 0.3 },
        Notes = "Box + 5 landmarks. Score = sqrt(cls*obj), one prior per cell at strides 8/16/32.",
    };

    private static ModelManifest Scrfd(string id, string sha) => new()
    {
        Id = id, Task = ModelTask.FaceDetector, Family = "scrfd", Sha256 = sha,
        Input = new ModelInput
        {
            Name = "images", Width = 640, Height = 640, ColorOrder = "RGB", Scale = 1f,
            Mean = [127.5f, 127.5f, 127.5f], Std = [128f, 128f, 128f], Resize = ResizeMode.Letterbox, PadCentered = true,
        },
        License = "NON-COMMERCIAL: InsightFace pretrained weights are for non-commercial research only; the hpc203 export repository has no licence. Do not ship.",
        Source = "hpc203/scrfd-opencv weights/" + (id == "scrfd-500m" ? "scrfd_500m_kps.onnx" : "scrfd_2.5g_kps.onnx") + " @ eee7bf1ee0dbe9615d8d8caaa53702e0d2dca001",
        Parameters = new() { ["score_threshold"] = 0.5, ["nms_iou"] = 0.4, ["anchors_per_cell"] = 2 },
        Notes = "Box + 5 landmarks; outputs: 3 score, 3 box-distance, 3 landmark tensors for strides 8/16/32.",
    };

    private static ModelManifest MiniFas(string id, string sha, double cropScale, string file) => new()
    {
        Id = id, Task = ModelTask.Liveness, Family = "minifasnet", Sha256 = sha,
        Input = new ModelInput { Name = "input", Width = 80, Height = 80, ColorOrder = "BGR", Scale = 1f, Mean = Zero3, Std = One3, Resize = ResizeMode.Stretch },
        Output = new ModelOutput { Name = "logits", Size = 3 },
        License = "NO LICENCE on this ONNX conversion (upstream minivision-ai/Silent-Face-Anti-Spoofing weights are Apache-2.0): re-export from upstream before shipping.",
        Source = $"PragatheeshP/Facial_recognition_Attendance_System-with-SCRFD-MobileFaceNet-MiniFASNet resources/anti_spoof_models/{file} @ e8fb986504d07c121ebed35340e9fc1fe43dec2b",
        Parameters = new() { ["crop_scale"] = cropScale, ["live_class"] = 1 },
        Notes = "Full frame + face box: scale the box about its centre by crop_scale, shift inside the frame, crop, resize to 80x80; softmax; class 1 = live.",
    };

    /// <summary>
    /// MobileFaceNet's default cosine threshold, set at FAR 1e-3 on PINS (never on LFW, which is test-only).
    /// Reproduce with <c>edgeface calibrate --folder ../shared/data/faces/pins --far 1e-3</c>.
    /// </summary>
    internal static CalibratedThreshold MobileFaceNetDefaultThreshold { get; } = new()
    {
        Value = 0.3712,
        Far = 1e-3,
        Frr = 0.2336,
        Data = "pins: 105 identities, 5250 images, all pairs (128,625 genuine, 13,650,000 impostor), no flip, yunet-s-640 alignment",
        Note = "edgeface calibrate --folder ../shared/data/faces/pins --far 1e-3 (achieved FAR 1.0e-3; threshold 95% CI [0.3705, 0.3718]). Not set on LFW.",
        CalibratedAt = new DateTimeOffset(2026, 11, 22, 18, 14, 0, TimeSpan.Zero),
    };

    /// <summary>Every built-in card, in the fixed preference order used to pick defaults.</summary>
    public static IReadOnlyList<ModelManifest> All { get; } =
    [
        YuNet("yunet-s-640", "8f2383e4dd3cfbb4553ea8718107fc0423210dc964f9f4280604804ed2552fa4", 640,
            "Apache-2.0 (libfacedetection.train); the OpenCV Zoo copy is MIT",
            "ShiqiYu/libfacedetection.train onnx/yunet_s_640_640.onnx @ 0047ac24afb1a50a0c6105001c89d1b5b805dbf1"),
        YuNet("yunet-s-dynamic", "daede24002cc8590f457998cc5e6c9e8b82f45f6bd969506a8913cd4ed10a2d3", 0, "Apache-2.0",
            "ShiqiYu/libfacedetection.train onnx/yunet_s_dynamic.onnx @ 0047ac24afb1a50a0c6105001c89d1b5b805dbf1"),
        YuNet("yunet-n-dynamic", "104ee26c71d5c270ce79a6b3dced91c91013260d29a6bf18f9296c5b8c4c2b12", 0, "Apache-2.0",
            "ShiqiYu/libfacedetection.train onnx/yunet_n_dynamic.onnx @ 0047ac24afb1a50a0c6105001c89d1b5b805dbf1"),
        Scrfd("scrfd-500m", "517cb1980c72422e676738fc45431700fb7cbee56d0f825b623ee427b3e5ce58"),
        Scrfd("scrfd-2.5g", "32d20c77b9e2dc1d07e94c2ab9d25bdd5cd05eddbe0b46e7b38e7a1eca22e99a"),
        new()
        {
            Id = "ultraface-rfb-320", Task = ModelTask.FaceDetector, Family = "ultraface",
            Sha256 = "34cd7e60aeff28744c657de7a3dc64e872d506741de66987f3426f2b79f88017",
            Input = new ModelInput { Name = "input", Width = 320, Height = 240, ColorOrder = "RGB", Scale = 1f, Mean = [127f, 127f, 127f], Std = [128f, 128f, 128f], Resize = ResizeMode.Stretch },
            License = "MIT", Source = "Linzaer/Ultra-Light-Fast-Generic-Face-Detector-1MB models/onnx/version-RFB-320.onnx @ dffdddda9794a50607cba8f318507a28c1c27cab",
            Parameters = new() { ["score_threshold"] = 0.7, ["nms_iou"] = 0.3 },
            Notes = "Boxes only, no landmarks: cannot drive 5-point alignment.",
        },
        new()
        {
            Id = "mobilefacenet-128", Task = ModelTask.FaceEmbedder, Family = "arcface",
            Sha256 = "b7120c095d60094f28a4a54ba6a8bf51b297a6273fb40ef6350dfec1f63d9507",
            Input = new ModelInput { Name = "input0", Width = 112, Height = 112, ColorOrder = "RGB", Scale = 1f / 255f, Mean = [0.485f, 0.456f, 0.406f], Std = [0.229f, 0.224f, 0.225f], Resize = ResizeMode.None },
            Output = new ModelOutput { Name = "output0", Size = 128, Normalized = false },
            Metric = Metric.Cosine,
            Thresholds = new() { ["default"] = MobileFaceNetDefaultThreshold },
            License = "Apache-2.0 (foamliu/MobileFaceNet); trained on MS-Celeb-1M, since withdrawn by its publisher, whose terms were research-only",
            Source = "foamliu/MobileFaceNet weights/MobileFaceNet.onnx @ a6cc9032a659b615f477833e1a70b5e7931bcccc",
            Notes = "Input: face aligned with a 5-point similarity transform onto the 112x112 ArcFace template.",
        },
        MiniFas("minifasnet-v2-2.7", "7886c41bcbcc1be00cf8700eddbd8cbd4b1ad138e69010790de2a57a3b01d7e5", 2.7, "2.7_80x80_MiniFASNetV2.onnx"),
        MiniFas("minifasnet-v1se-4.0", "e67aedf72df3e1912dbf6baa5f7406b8b30c3cb43234170a70dd9d143fea358e", 4.0, "4_0_0_80x80_MiniFASNetV1SE.onnx"),
        new()
        {
            Id = "pfld-68", Task = ModelTask.Landmarks, Family = "pfld",
            Sha256 = "7d7bbd5c6a1d9272e58d9773898284a1905d872eba9a662df9b5f20f1ba6f83e",
            Input = new ModelInput { Name = "input", Width = 112, Height = 112, ColorOrder = "RGB", Scale = 1f / 255f, Mean = Zero3, Std = One3, Resize = ResizeMode.Stretch },
            Output = new ModelOutput { Name = "output", Size = 136 },
            License = "NO LICENCE: research and evaluation only",
            Source = "cunjian/pytorch_face_landmark onnx/pfld.onnx @ 6f34bf9f034aa2f521952f825e6ccc567deb42d6",
            Notes = "68 (x,y) points, iBUG-300W order, as fractions of the 112x112 crop.",
        },
    ];

    /// <summary>The card whose SHA-256 equals <paramref name="sha256"/>, or null.</summary>
    public static ModelManifest? FindBySha256(string sha256) =>
        All.FirstOrDefault(m => string.Equals(m.Sha256, sha256, StringComparison.OrdinalIgnoreCase));

    public static ModelManifest? FindById(string id) => All.FirstOrDefault(m => m.Id == id);
}
