"""What every page must pass in the browser: the axe-core audit, no sideways scrolling of the page,
and a visible focus ring (3:1 against what lies behind it) on each element the keyboard reaches.

axe-core is vendored for the tests only (tests/browser/vendor/README.md). It is evaluated through
Playwright rather than added as a <script>: the pages' Content-Security-Policy refuses inline
scripts, and the audit must see the page as the policy leaves it.
"""

from pathlib import Path

AXE = (Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js").read_text(encoding="utf-8")
BLOCKING_IMPACTS = {"serious", "critical"}
LARGE = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}


def axe_violations(page) -> list[dict]:
    """Every axe violation on the page now, as {id, impact, help, targets}."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE)
    found = page.evaluate(
        """async () => {
            const result = await window.axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
            }));
        }"""
    )
    return list(found)


def blocking(violations: list[dict]) -> list[dict]:
    return [violation for violation in violations if violation["impact"] in BLOCKING_IMPACTS]


def overflow(page) -> int:
    """How many CSS pixels the page itself scrolls sideways (0 when it fits)."""
    return page.evaluate("Math.max(0, document.scrollingElement.scrollWidth - window.innerWidth)")


# The contrast of the focused element's outline against the first opaque background behind it
# (the outline is drawn outside the element, over its parent). A hidden radio whose label draws
# the ring (the survey's scale) is judged by that label.
_FOCUS_RING = """() => {
    const parse = (colour) => {
        const m = colour.match(/rgba?\\(([^)]+)\\)/);
        if (!m) return null;
        const parts = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
        return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
    };
    const luminance = ({r, g, b}) => {
        const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    const backgroundBehind = (element) => {
        for (let node = element; node; node = node.parentElement) {
            const colour = parse(getComputedStyle(node).backgroundColor);
            if (colour && colour.a > 0.5) return colour;
        }
        return {r: 255, g: 255, b: 255, a: 1};
    };
    let element = document.activeElement;
    if (!element || element === document.body) return null;
    if (getComputedStyle(element).opacity === "0" && element.nextElementSibling) element = element.nextElementSibling;
    const style = getComputedStyle(element);
    const ring = parse(style.outlineColor);
    const width = parseFloat(style.outlineWidth) || 0;
    const behind = backgroundBehind(element.parentElement || element);
    const [light, dark] = [luminance(ring), luminance(behind)].sort((a, b) => b - a);
    return {
        element: element.tagName.toLowerCase() + (element.id ? "#" + element.id : "")
            + " " + (element.textContent || element.getAttribute("aria-label") || element.name || "").trim().slice(0, 40),
        style: style.outlineStyle, width: width, ring: style.outlineColor,
        behind: `rgb(${behind.r}, ${behind.g}, ${behind.b})`,
        ratio: Math.round(((light + 0.05) / (dark + 0.05)) * 100) / 100,
    };
}"""


def focus_ring_problems(page, *, limit: int = 80) -> tuple[int, list[dict]]:
    """Tab through the page; return how many stops were checked and those whose ring is missing,
    thinner than 2 px or under 3:1 against the background."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen, problems = [], []
    for _ in range(limit):
        page.keyboard.press("Tab")
        ring = page.evaluate(_FOCUS_RING)
        if ring is None:
            break
        key = page.evaluate("(() => { const e = document.activeElement; return e.outerHTML.slice(0, 200); })()")
        if key in seen:
            break
        seen.append(key)
        if ring["style"] == "none" or ring["width"] < 2 or ring["ratio"] < 3:
            problems.append(ring)
    return len(seen), problems
