// The exam's countdown (certification/exam, take.html). The server keeps the time: the page says
// until when, and a hand-in after that counts as failed whatever this script shows. Here the
// remaining time runs visibly, five minutes and one minute before the end are announced to
// screen readers, and at zero the answers are handed in as they are (unanswered ones count as
// wrong). The remaining seconds come from the server, so a wrong clock on the computer does not
// matter. Without JavaScript the deadline is still on the page.
(() => {
  const start = () => {
    const clock = document.querySelector("[data-exam-clock]");
    const form = document.querySelector("form[data-exam-form]");
    if (!clock || !form) return;
    const timer = clock.querySelector("[data-exam-timer]");
    const announce = clock.querySelector("[data-exam-announce]");
    const timeUp = form.querySelector("[data-exam-time-up]");
    const remaining = Number.parseInt(clock.dataset.remaining, 10);
    if (!timer || !Number.isFinite(remaining)) return;
    const end = performance.now() + remaining * 1000;
    const announced = new Set();
    let handedIn = false;
    form.addEventListener("submit", () => { handedIn = true; });

    const say = (key) => {
      if (announced.has(key) || !announce) return;
      announced.add(key);
      announce.textContent = clock.dataset[key] || "";
    };
    const tick = () => {
      const left = Math.max(0, Math.ceil((end - performance.now()) / 1000));
      const minutes = Math.floor(left / 60);
      const seconds = String(left % 60).padStart(2, "0");
      timer.textContent = (clock.dataset.text || "{time}").replace("{time}", `${minutes}:${seconds}`);
      timer.hidden = false;
      if (left <= 60) timer.classList.add("exam-clock__timer--ending");
      if (left <= 300 && left > 60 && remaining > 300) say("five");
      if (left <= 60 && left > 0 && remaining > 60) say("one");
      if (left > 0) return;
      window.clearInterval(interval);
      if (handedIn) return;
      handedIn = true;
      say("up");
      if (timeUp) timeUp.value = "1";
      form.submit(); // not requestSubmit(): no field may hold the hand-in back now
    };
    const interval = window.setInterval(tick, 1000);
    tick();
  };

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
