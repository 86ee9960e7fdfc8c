using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using EdgeFace.Runtime;

namespace EdgeFace.Enrollment.Security;

/// <summary>
/// DPAPI (CryptProtectData) for key files on Windows, called directly through crypt32 so no extra package
/// is needed. Protection is bound to the current Windows user account.
/// </summary>
[SupportedOSPlatform("windows")]
internal static unsafe class WindowsDpapi
{
    [StructLayout(LayoutKind.Sequential)]
    private struct DataBlob
    {
        public int Size;
        public byte* Data;
    }

    private const int UiForbidden = 0x1;

    [DllImport("crypt32.dll", SetLastError = true)]
    private static extern bool CryptProtectData(DataBlob* input, char* description, DataBlob* entropy, nint reserved, nint prompt, int flags, DataBlob* output);

    [DllImport("crypt32.dll", SetLastError = true)]
    private static extern bool CryptUnprotectData(DataBlob* input, char** description, DataBlob* entropy, nint reserved, nint prompt, int flags, DataBlob* output);

    [DllImport("kernel32.dll")]
    private static extern nint LocalFree(nint memory);

    public static byte[] Protect(byte[] plain)
    {
        fixed (byte* p = plain)
        {
            var input = new DataBlob { Size = plain.Length, Data = p };
            DataBlob output;
            if (!CryptProtectData(&input, null, null, 0, 0, UiForbidden, &output))
                throw new EdgeFaceException($"DPAPI could not protect the key (error {Marshal.GetLastWin32Error()})");
            return TakeBlob(output);
        }
    }

    public static byte[] Unprotect(byte[] protectedBytes, string origin)
    {
        fixed (byte* p = protectedBytes)
        {
            var input = new DataBlob { Size = protectedBytes.Length, Data = p };
            DataBlob output;
            if (!CryptUnprotectData(&input, null, null, 0, 0, UiForbidden, &output))
                throw new EdgeFaceException($"{origin}: DPAPI could not unprotect the key (written by another Windows user? error {Marshal.GetLastWin32Error()})");
            return TakeBlob(output);
        }
    }

    private static byte[] TakeBlob(DataBlob blob)
    {
        try { return new ReadOnlySpan<byte>(blob.Data, blob.Size).ToArray(); }
        finally { LocalFree((nint)blob.Data); }
    }
}
