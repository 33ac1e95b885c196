"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { DEBOUNCE_MS, moved, ordered, worthAsking, type Suggestion } from "@/lib/search-suggest";
import { useApp } from "./providers";

/**
 * The search box's text field with suggestions as an ARIA combobox (list autocomplete): the API's
 * GET /search/suggest after a short pause in typing; up and down move through the options, Enter takes the
 * highlighted one and searches, Escape closes the list. Without JavaScript it is the plain text field it replaces.
 */
export function SearchSuggest({ id, name, defaultValue = "", placeholder, maxLength }:
  { id: string; name: string; defaultValue?: string; placeholder?: string; maxLength?: number }) {
  const { api, t, lang } = useApp();
  const listId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(defaultValue);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [asked, setAsked] = useState(false);

  // A link to another search (a hint, a chip) keeps this component: show that search's words.
  useEffect(() => { setText(defaultValue); setAsked(false); }, [defaultValue]);

  useEffect(() => {
    if (!asked || !worthAsking(text)) {
      setItems([]);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.GET("/search/suggest", { params: { query: { q: text.trim() } }, signal: controller.signal })
        .then(({ data }) => {
          const complete = (data?.items ?? []).flatMap((i) => (i.text && i.kind ? [{ ...i, text: i.text, kind: i.kind }] : []));
          setItems(ordered(complete, lang));
          setActive(-1);
        })
        .catch(() => null); // a suggestion that does not come is no error: the search still works
    }, DEBOUNCE_MS);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [api, asked, lang, text]);

  function choose(item: Suggestion) {
    setText(item.text);
    setOpen(false);
    const field = input.current;
    if (field) {
      field.value = item.text; // the form reads the field itself, before React's next render
      field.form?.requestSubmit();
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    const shown = open && items.length > 0;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (items.length === 0) return;
      event.preventDefault();
      setOpen(true);
      setActive(shown ? moved(active, items.length, event.key) : event.key === "ArrowDown" ? 0 : items.length - 1);
    } else if (event.key === "Enter" && shown && items[active]) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === "Escape" && shown) {
      event.preventDefault();
      setOpen(false);
      setActive(-1);
    }
  }

  const shown = open && items.length > 0;
  const kinds: Record<string, string> = { trade: t.suggestTrade, problem: t.suggestProblem,
                                          category: t.suggestCategory, service: t.suggestService };
  return (
    <div className="suggest">
      <input ref={input} id={id} name={name} type="search" value={text} placeholder={placeholder} maxLength={maxLength}
             role="combobox" aria-autocomplete="list" aria-expanded={shown} aria-controls={listId}
             aria-activedescendant={shown && active >= 0 ? `${listId}-${active}` : undefined} autoComplete="off"
             onChange={(event) => { setText(event.target.value); setAsked(true); setOpen(true); }}
             onKeyDown={onKeyDown} onBlur={() => setOpen(false)} onFocus={() => setOpen(true)} />
      <ul id={listId} role="listbox" aria-label={t.suggestions} className="suggest-list" hidden={!shown}>
        {items.map((item, index) => (
          <li key={`${item.kind}-${item.service_id ?? item.text}`} id={`${listId}-${index}`} role="option"
              aria-selected={index === active} className={index === active ? "active" : undefined}
              onMouseDown={(event) => { event.preventDefault(); choose(item); }}>
            <span>{item.text}</span> <small>{kinds[item.kind] ?? ""}</small>
          </li>
        ))}
      </ul>
    </div>
  );
}
