/* Check-in: scan a ticket's QR code with the phone camera (progressive enhancement).
   Without JavaScript, or where the browser has no BarcodeDetector, staff type the code or
   search by name; this file only adds a "scan" button where scanning works. Same origin only. */
(function () {
  "use strict";
  var box = document.querySelector("[data-checkin-scanner]");
  var form = document.querySelector("[data-checkin-form]");
  if (!box || !form || !("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    return;
  }
  var input = form.querySelector("input[name=code]");
  var start = box.querySelector("[data-scan-start]");
  var stop = box.querySelector("[data-scan-stop]");
  var video = box.querySelector("[data-scan-video]");
  var status = box.querySelector("[data-scan-status]");
  var stream = null;
  var timer = null;
  var detector = null;

  function finish() {
    if (timer) { window.clearTimeout(timer); timer = null; }
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  function scan() {
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        input.value = codes[0].rawValue;
        finish();
        status.textContent = input.value;
        form.submit();
        return;
      }
      timer = window.setTimeout(scan, 250);
    }).catch(function () { timer = window.setTimeout(scan, 500); });
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) { return; }
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    box.hidden = false;
    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
        stream = s;
        video.srcObject = s;
        video.hidden = false;
        start.hidden = true;
        stop.hidden = false;
        status.textContent = start.getAttribute("data-scanning") || "";
        return video.play();
      }).then(scan).catch(function (err) {
        finish();
        status.textContent = String(err && err.name ? err.name : err);
      });
    });
    stop.addEventListener("click", finish);
  }).catch(function () { /* no scanning: typing and searching still work */ });
}());
