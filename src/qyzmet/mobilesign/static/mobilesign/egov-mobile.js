/* qyzmet: signing with the eGov mobile app by QR code (the mgovSign protocol). The page asks
   the server for a signing session, shows its QR code (an SVG drawn by the server; the text
   "mobileSign:<API1 URL>" is also kept in data-qr-text and in the phone's deep links) and
   polls the session's status until the phone's signature is accepted (then it goes where the
   server says), refused (the reason is shown) or the QR expires (a new one is offered).
   Nothing is signed here: the phone signs; the server verifies. */

const POLL_MS = 1500;

/* The countdown in the page's language and its plural forms (the djangojs catalogue,
   /jsi18n/<lang>.js, docs/i18n.md); as written if that did not load. */
function ngettext(singular, plural, count) {
  return typeof globalThis.ngettext === "function"
    ? globalThis.ngettext(singular, plural, count)
    : count === 1 ? singular : plural;
}

function secondsLeft(seconds) {
  return ngettext("Осталась %(n)s секунда", "Осталось %(n)s секунд", seconds).replace("%(n)s", seconds);
}

function setup(box) {
  const csrf = box.querySelector("input[name=csrfmiddlewaretoken]").value;
  const startButton = box.querySelector("[data-egov-start]");
  const restartButton = box.querySelector("[data-egov-restart]");
  const qr = box.querySelector("[data-egov-qr]");
  const image = box.querySelector("[data-egov-qr-image]");
  const countdown = box.querySelector("[data-egov-countdown]");
  const status = box.querySelector("[data-egov-status]");
  let timer = null;
  let generation = 0;

  function show(text, code, working) {
    status.textContent = text || "";
    status.dataset.code = code || "";
    status.classList.toggle("working", Boolean(working));
  }

  function finish(state, text, code) {
    clearTimeout(timer);
    box.dataset.state = state;
    qr.hidden = true;
    delete qr.dataset.qrText;
    show(text, code, false);
    restartButton.hidden = false;
    startButton.hidden = true;
  }

  async function poll(url, mine) {
    if (mine !== generation) return;
    let answer;
    try {
      const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
      answer = await response.json();
    } catch (error) {
      show(box.dataset.msgNetwork, "network", false);
      timer = setTimeout(() => poll(url, mine), POLL_MS * 2);
      return;
    }
    if (mine !== generation) return;
    if (answer.state === "signed") {
      box.dataset.state = "signed";
      show(box.dataset.msgSigned, "", true);
      window.location.assign(answer.redirect);
      return;
    }
    if (answer.state === "refused" || answer.state === "expired") {
      finish(answer.state, answer.message, answer.code);
      return;
    }
    show(answer.scanned ? box.dataset.msgScanned : box.dataset.msgWaiting, "", true);
    countdown.textContent = secondsLeft(answer.seconds_left);
    timer = setTimeout(() => poll(url, mine), POLL_MS);
  }

  async function begin() {
    clearTimeout(timer);
    const mine = ++generation;
    startButton.disabled = true;
    restartButton.hidden = true;
    show(box.dataset.msgWorking, "", true);
    const body = new URLSearchParams();
    if (box.dataset.decision) body.append("decision", box.dataset.decision);
    let answer;
    try {
      const response = await fetch(box.dataset.startUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, Accept: "application/json" },
        body,
      });
      answer = await response.json();
    } catch (error) {
      startButton.disabled = false;
      show(box.dataset.msgNetwork, "network", false);
      return;
    } finally {
      startButton.disabled = false;
    }
    if (!answer.ok) {
      finish("refused", answer.message, answer.code);
      return;
    }
    image.src = answer.qr_url;
    qr.dataset.qrText = answer.qr_text;
    box.querySelector("[data-egov-qr-copy]").textContent = answer.qr_text;
    box.querySelectorAll("[data-egov-link]").forEach((link) => {
      link.href = answer.links[link.dataset.egovLink];
    });
    countdown.textContent = secondsLeft(answer.seconds);
    qr.hidden = false;
    startButton.hidden = true;
    box.dataset.state = "waiting";
    show(box.dataset.msgWaiting, "", true);
    timer = setTimeout(() => poll(answer.status_url, mine), POLL_MS);
  }

  startButton.addEventListener("click", begin);
  restartButton.addEventListener("click", begin);
  box.dataset.ready = "1"; // the buttons work from now on
}

document.querySelectorAll("[data-egov-mobile]").forEach(setup);
