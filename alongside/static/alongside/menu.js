// The site's menu: its links sit on one line when they fit, and collapse behind the Menu button
// when they do not (a phone, a page zoomed to 200 %, a long menu in French). Loaded right after
// the header, not deferred, so the page is first drawn with the menu already in its place.
// Without JavaScript the button stays hidden and every link shows, wrapping as it must.
(() => {
  const header = document.querySelector("[data-site-header]");
  const button = header && header.querySelector("[data-menu-toggle]");
  const menu = button && document.getElementById(button.getAttribute("aria-controls"));
  if (!menu) {
    return;
  }
  const brand = header.querySelector(".site-brand");

  const setOpen = (open) => {
    button.setAttribute("aria-expanded", String(open));
    header.classList.toggle("menu-open", open);
  };

  // Whether everything fits laid out in full: the tools on the brand's line, the links on one.
  const fitsInFull = () => {
    const row = brand.getBoundingClientRect();
    const onBrandRow = [...header.querySelectorAll(".site-tools > *, #inbox-link")].every(
      (item) => {
        const box = item.getBoundingClientRect();
        return box.top < row.bottom && box.bottom > row.top;
      },
    );
    const links = [...menu.querySelectorAll(".site-nav-list > li")];
    const firstTop = links.length ? links[0].getBoundingClientRect().top : 0;
    const oneLine = links.every((link) => Math.abs(link.getBoundingClientRect().top - firstTop) < 2);
    return onBrandRow && oneLine;
  };

  const fit = () => {
    const wasCollapsed = header.classList.contains("menu-collapsed");
    header.classList.remove("menu-collapsed");
    const collapse = !fitsInFull();
    header.classList.toggle("menu-collapsed", collapse);
    if (collapse !== wasCollapsed) {
      setOpen(false);
    }
  };

  button.hidden = false;
  fit();
  button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
  // Escape closes an open menu and gives the focus back to its button.
  header.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && header.classList.contains("menu-open")) {
      setOpen(false);
      button.focus();
    }
  });
  let pending = false;
  const refit = () => {
    if (!pending) {
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        fit();
      });
    }
  };
  // Zooming the page resizes its viewport too; an in-place update may change the inbox's width.
  window.addEventListener("resize", refit);
  document.addEventListener("htmx:afterSettle", refit);
  if (document.fonts) {
    document.fonts.ready.then(refit);
  }
})();
