"""What axe cannot see, measured in the page: how well a focused control's ring stands out, and
how large every target is.

The focus ring (WCAG 2.2, 1.4.11 and 2.4.13): the focused control's outline, or its box-shadow
when it has no outline, against the colour it is drawn on. A ring set outside the control
(outline-offset >= 0) is drawn on its parent's background; one set inside, on the control's.

Targets (WCAG 2.2, 2.5.8 at 24 px and 2.5.5 at 44 px): every element a person can click or tab
to: links, buttons, fields, checkboxes and radio buttons, summaries, and anything else with a
tabindex of 0 or more. A checkbox or radio button counts with its label, which toggles it too.
Left out, as WCAG 2.5.8 leaves them out:
- links inline in running text (`display: inline` inside a block with words of its own), whose
  height is set by the line of text around them, "inline" in the success criterion;
- what nobody can see or reach: not rendered (inside a closed menu), the honeypot field that
  only bots fill in (aria-hidden and out of the tab order), and the skip link until it has
  the focus (it is checked when focused).
"""

from dataclasses import dataclass

from playwright.sync_api import Locator, Page

CONTRAST = """
const channels = (colour) => {
  const [r, g, b, a = 1] = colour.match(/[\\d.]+/g).map(Number);
  return {r, g, b, a};
};
const luminance = ({r, g, b}) => {
  const linear = (value) => {
    const v = value / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
};
const ratio = (one, other) => {
  const [light, dark] = [luminance(one), luminance(other)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
};
// The colour behind an element: the first opaque background among it and its ancestors,
// with any translucent ones on the way laid over it.
const backgroundOf = (element) => {
  const layers = [];
  for (let node = element; node; node = node.parentElement) {
    const colour = channels(getComputedStyle(node).backgroundColor);
    if (colour.a > 0) {
      layers.push(colour);
      if (colour.a >= 1) {
        break;
      }
    }
  }
  let result = {r: 255, g: 255, b: 255, a: 1};
  for (const layer of layers.reverse()) {
    result = {
      r: layer.r * layer.a + result.r * (1 - layer.a),
      g: layer.g * layer.a + result.g * (1 - layer.a),
      b: layer.b * layer.a + result.b * (1 - layer.a),
      a: 1,
    };
  }
  return result;
};
"""

FOCUS_RING_SCRIPT = (
    "(element) => {"
    + CONTRAST
    + """
  const style = getComputedStyle(element);
  let colour = null;
  let width = 0;
  let outside = true;
  if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
    colour = style.outlineColor;
    width = parseFloat(style.outlineWidth);
    outside = parseFloat(style.outlineOffset) >= 0;
  } else if (style.boxShadow !== 'none') {
    // "rgba(13, 110, 253, 0.25) 0px 0px 0px 4px": the colour, then the offsets, blur, spread.
    const shadow = style.boxShadow.split(/,(?![^(]*\\))/)[0];
    colour = shadow.match(/rgba?\\([^)]*\\)/)[0];
    width = parseFloat(shadow.replace(colour, '').trim().split(/\\s+/)[3] || '0');
    outside = !shadow.includes('inset');
  }
  if (colour === null) {
    return {colour: 'none', width: 0, background: '', ratio: 1};
  }
  const behind = backgroundOf(outside ? element.parentElement : element);
  // A translucent ring is seen laid over what is behind it.
  const ring = channels(colour);
  const seen = {
    r: ring.r * ring.a + behind.r * (1 - ring.a),
    g: ring.g * ring.a + behind.g * (1 - ring.a),
    b: ring.b * ring.a + behind.b * (1 - ring.a),
  };
  const rgb = ({r, g, b}) => `rgb(${Math.round(r)}, ${Math.round(g)}, ${Math.round(b)})`;
  return {colour: rgb(seen), width, background: rgb(behind), ratio: ratio(seen, behind)};
}"""
)


@dataclass(frozen=True)
class FocusRing:
    colour: str
    width: float
    background: str
    ratio: float


def focus_ring(target: Locator) -> FocusRing:
    """The ring the focused `target` shows, and its contrast with the colour it is drawn on."""
    assert target.evaluate("element => element === document.activeElement"), (
        f"{target} does not have the focus"
    )
    found = target.evaluate(FOCUS_RING_SCRIPT)
    return FocusRing(found["colour"], found["width"], found["background"], found["ratio"])


TARGETS_SCRIPT = """(minimum) => {
  const interactive = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [tabindex]:not([tabindex="-1"])';
  const controls = 'a[href], button, input, select, textarea, summary, [role=button], [tabindex]';
  const describe = (element) => {
    const text = (element.getAttribute('aria-label') || element.textContent || element.value
      || element.name || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
    return `<${element.tagName.toLowerCase()}${element.id ? '#' + element.id : ''}> "${text}"`;
  };
  const union = (boxes) => {
    const left = Math.min(...boxes.map((box) => box.left));
    const top = Math.min(...boxes.map((box) => box.top));
    const right = Math.max(...boxes.map((box) => box.right));
    const bottom = Math.max(...boxes.map((box) => box.bottom));
    return {width: right - left, height: bottom - top};
  };
  // Words of the block around an inline link, other than the link's own and other controls'.
  const inRunningText = (element) => {
    let block = element.parentElement;
    while (block && getComputedStyle(block).display.startsWith('inline')) {
      block = block.parentElement;
    }
    if (!block) {
      return false;
    }
    const copy = block.cloneNode(true);
    copy.querySelectorAll(controls).forEach((control) => control.remove());
    copy.querySelectorAll('.visually-hidden').forEach((hidden) => hidden.remove());
    return /[\\p{L}\\p{N}]/u.test(copy.textContent);
  };
  const found = [];
  for (const element of document.querySelectorAll(interactive)) {
    const boxes = [...element.getClientRects()].filter((box) => box.width && box.height);
    if (!boxes.length || getComputedStyle(element).visibility === 'hidden') {
      continue;  // not rendered: in a closed menu, or hidden
    }
    if (element.closest('[aria-hidden=true]') && element.tabIndex < 0) {
      continue;  // the honeypot: hidden from people, out of the tab order
    }
    if (element.matches('.visually-hidden-focusable:not(:focus)')) {
      continue;  // the skip link, shown when it has the focus
    }
    if (element.matches('input[type=checkbox], input[type=radio]')) {
      for (const label of element.labels || []) {
        boxes.push(...[...label.getClientRects()].filter((box) => box.width && box.height));
      }
    }
    const size = union(boxes);
    const inline = getComputedStyle(element).display === 'inline' && inRunningText(element);
    if (!inline && (size.width < minimum || size.height < minimum)) {
      found.push(`${describe(element)}: ${Math.round(size.width)} x ${Math.round(size.height)}`);
    }
  }
  return found;
}"""


def targets_smaller_than(page: Page, minimum: int) -> list[str]:
    """Every target on the page narrower or shorter than `minimum` CSS pixels, described."""
    return list(page.evaluate(TARGETS_SCRIPT, minimum))
