// Sciple dashboard: where focus goes after an htmx swap, and what screen readers hear about it.
// Served from the app's own origin (the CSP allows scripts only from 'self'), loaded after htmx by every page.
// - "Load more": focus moves to the first new row; the live region says how many rows came.
// - A swap that removed the focused element (Refresh, a pager link): focus moves to the new content's heading
//   (or the new content itself), and the live region says it was refreshed or updated.
// - A swap the person did not leave (typing in a search, changing a filter): focus stays; the live region says
//   what the new content shows.
;(() => {
  /** What each swap's `htmx:before:swap` saw, read back by its `htmx:after:swap`. */
  const pending = new WeakMap()

  const announce = (message) => {
    const region = document.getElementById("announcer")
    if (region === null || message === "") return
    // Emptied first, then filled on the next frame: the same message twice in a row is read twice.
    region.textContent = ""
    requestAnimationFrame(() => {
      region.textContent = message
    })
  }

  const focusOn = (element) => {
    if (!element.hasAttribute("tabindex")) element.setAttribute("tabindex", "-1")
    element.focus({ preventScroll: true })
    element.scrollIntoView({ block: "nearest" })
  }

  const textOf = (element) => {
    const copy = element.cloneNode(true)
    for (const hidden of copy.querySelectorAll('[aria-hidden="true"], button, .htmx-indicator')) hidden.remove()
    return (copy.textContent ?? "").replace(/\s+/g, " ").trim()
  }

  const plural = (count, one, many) => `${count} ${count === 1 ? one : many}`

  document.addEventListener("htmx:before:swap", (event) => {
    const ctx = event.detail?.ctx
    const target = ctx?.target
    if (!(target instanceof Element)) return
    const active = document.activeElement
    pending.set(ctx, {
      id: target.id,
      before: target.previousElementSibling,
      parent: target.parentElement,
      body: target === document.body,
      loadMore: target.tagName === "TR",
      focusInside: active !== null && active !== document.body && target.contains(active),
      refresh: /[?&]refresh=1(&|$)/.test(ctx.request?.action ?? "")
    })
  })

  document.addEventListener("htmx:after:swap", (event) => {
    const ctx = event.detail?.ctx
    const seen = ctx === undefined ? undefined : pending.get(ctx)
    if (seen === undefined) return
    pending.delete(ctx)
    if (seen.loadMore) return afterLoadMore(seen)
    if (seen.body) return afterPage()
    const swapped = seen.id === "" ? null : document.getElementById(seen.id)
    if (swapped === null) return
    const lost = seen.focusInside || document.activeElement === null || document.activeElement === document.body
    if (!lost) return announce(summaryOf(swapped))
    const heading = swapped.querySelector("h1, h2, h3")
    focusOn(heading ?? swapped)
    const done = seen.refresh ? "Refreshed" : "Updated"
    announce(heading === null ? `${done}: ${summaryOf(swapped)}` : `${textOf(heading)} ${done.toLowerCase()}.`)
  })

  /** A whole page swapped in (a form answered with the page): its notice, or else its title, gets focus. */
  const afterPage = () => {
    const main = document.getElementById("main")
    const target = main?.querySelector(".notice, .error-panel") ?? main?.querySelector("h1")
    if (target === null || target === undefined) return
    focusOn(target)
    announce(textOf(target))
  }

  /** Rows that took the "Load more" row's place: the first new one gets focus. */
  const afterLoadMore = (seen) => {
    if (seen.parent === null) return
    const rows = []
    let row = seen.before === null ? seen.parent.firstElementChild : seen.before.nextElementSibling
    for (; row !== null; row = row.nextElementSibling) rows.push(row)
    const added = rows.filter((r) => r.id !== "load-more-row")
    const rest = rows.find((r) => r.id === "load-more-row")
    const error = rest?.querySelector('[role="alert"], .error-panel')
    if (added.length === 0) {
      if (rest !== undefined) focusOn(rest)
      announce(error ? textOf(error) : "No more issues.")
      return
    }
    focusOn(added[0])
    const more = plural(added.length, "more issue loaded", "more issues loaded")
    announce(rest === undefined ? `${more}. All matching issues are shown.` : `${more}.`)
  }

  /** What a swap the person stayed in shows now: the table's row count or the content's status line. */
  const summaryOf = (swapped) => {
    const status = swapped.matches("[aria-live]")
      ? swapped
      : swapped.querySelector('[role="status"]:not(.htmx-indicator), [aria-live], .callout, .error-panel, .field-error')
    // The issue table, alone or inside the project's view (filters and sort swap the whole view).
    const table = swapped.id === "issue-table" ? swapped : swapped.querySelector("#issue-table")
    const rows = table === null ? [] : table.querySelectorAll("tbody tr:not(#load-more-row)")
    if (table !== null && rows.length > 0) {
      const shown = `${plural(rows.length, "issue", "issues")} shown${table.querySelector("#load-more-row") === null ? "" : ", more to load"}.`
      // A notice of the view (an ignored URL value) is said after the count.
      const notice = table === swapped ? null : swapped.querySelector(':scope > [role="status"]')
      return notice === null ? shown : `${shown} ${textOf(notice)}`
    }
    return status === null ? "Updated." : textOf(status)
  }
})()
