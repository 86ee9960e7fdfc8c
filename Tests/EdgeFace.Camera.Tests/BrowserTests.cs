using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using EdgeFace.TestSupport;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace EdgeFace.Camera.Tests;

/// <summary>
/// End to end: the real <c>edgeface kiosk</c> serves the scenario video on 127.0.0.1 (random port), and headless
/// Chromium shows the kiosk page; we assert what a person in front of it would read.
/// </summary>
public sealed partial class BrowserTests(KioskScenario scenario) : IClassFixture<KioskScenario>
{
    private const string ApiKey = "test-admin-key-0123456789";

    [GeneratedRegex(@"listening on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

    private static (Process Process, string Url) StartKiosk(KioskScenario s, params string[] extra)
    {
        var process = CliProcess.Start("edgeface", ["kiosk", "--source", s.Video, "--loop", "--urls", "http://127.0.0.1:0", .. s.CommonArgs(), .. extra],
            new Dictionary<string, string> { ["EDGEFACE_KIOSK_API_KEY"] = ApiKey });
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            var line = process.StandardError.ReadLine() ?? throw new InvalidOperationException($"kiosk exited: {process.StandardError.ReadToEnd()}");
            var m = Listening().Match(line);
            if (m.Success)
            {
                // Keep draining both streams so the child never blocks on a full pipe.
                _ = process.StandardError.ReadToEndAsync();
                _ = process.StandardOutput.ReadToEndAsync();
                return (process, m.Groups[1].Value);
            }
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("kiosk did not report its address");
    }

    private static ChromeDriver StartBrowser(TempDir profile)
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.HideCommandPromptWindow = true;
        service.SuppressInitialDiagnosticInformation = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", $"--user-data-dir={profile.Path}", "--window-size=1280,1024");
        return new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Kiosk_page_shows_preview_guidance_and_results()
    {
        var (kiosk, url) = StartKiosk(scenario);
        using var profile = new TempDir();
        try
        {
            using var browser = StartBrowser(profile);
            browser.Navigate().GoToUrl(url + "/");
            var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(60)) { PollingInterval = TimeSpan.FromMilliseconds(50) };

            // The MJPEG preview is live: the <img> has decoded frames of the camera's size.
            wait.Until(d => Convert.ToInt64(((IJavaScriptExecutor)d).ExecuteScript("return document.getElementById('preview').naturalWidth")) == 640);
            Assert.False(browser.FindElement(By.Id("claim")).Displayed); // identify mode: nobody picks a name

            // Over one loop of the video the screen shows each result and the guidance for the turned-away face.
            var seenResults = new HashSet<string>();
            var seenGuidance = new HashSet<string>();
            wait.Until(d =>
            {
                var result = d.FindElement(By.Id("result"));
                if (result.Text.Length > 0) seenResults.Add($"{result.Text}|{result.GetAttribute("class")}");
                seenGuidance.Add(d.FindElement(By.Id("guidance")).Text);
                return seenResults.Contains($"Welcome, {KioskScenario.PersonA}|accepted")
                    && seenResults.Contains("Not recognised|rejected")
                    && seenResults.Contains($"Welcome, {KioskScenario.PersonC}|accepted")
                    && seenGuidance.Contains("Face the camera");
            });
            Assert.Contains("Please look at the camera", seenGuidance); // the empty frames between people
            Assert.Matches(@"^\d+(\.\d)? fps", browser.FindElement(By.Id("fps")).Text);

            // Admin API: refused without the key, served with it.
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/admin/identities")).StatusCode);
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/identities");
            request.Headers.Add("X-Api-Key", ApiKey);
            var names = await (await http.SendAsync(request)).Content.ReadAsStringAsync();
            Assert.Equal($"[\"{KioskScenario.PersonA}\",\"Alvaro_Morte\",\"{KioskScenario.PersonC}\"]", names);
        }
        finally
        {
            kiosk.Kill(entireProcessTree: true);
            await kiosk.WaitForExitAsync();
            kiosk.Dispose();
        }
    }

    [Fact]
    public async Task Verify_mode_lets_the_person_pick_a_name_and_verifies_it()
    {
        var (kiosk, url) = StartKiosk(scenario, "--mode", "verify");
        using var profile = new TempDir();
        try
        {
            using var browser = StartBrowser(profile);
            browser.Navigate().GoToUrl(url + "/");
            var wait = new WebDriverWait(browser, TimeSpan.FromSeconds(60)) { PollingInterval = TimeSpan.FromMilliseconds(50) };
            wait.Until(d => d.FindElement(By.Id("guidance")).Text == "Choose your name on the screen");
            wait.Until(d => d.FindElements(By.CssSelector("#identity-select option")).Count == 3);
            browser.FindElement(By.CssSelector($"#identity-select option[value='{KioskScenario.PersonC}']")).Click();
            browser.FindElement(By.Id("claim-button")).Click();
            wait.Until(d => d.FindElement(By.Id("claimed")).Text == $"Claimed: {KioskScenario.PersonC}");
            wait.Until(d => d.FindElement(By.Id("result")).Text == $"Verified: {KioskScenario.PersonC}");
            Assert.Equal("accepted", browser.FindElement(By.Id("result")).GetAttribute("class"));
        }
        finally
        {
            kiosk.Kill(entireProcessTree: true);
            await kiosk.WaitForExitAsync();
            kiosk.Dispose();
        }
    }
}
