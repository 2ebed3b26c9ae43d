import type { StatusCategoryKey } from "./types.ts"

export interface StatusCategoryInfo {
  readonly id: number
  readonly key: StatusCategoryKey
  readonly colorName: string
  /** Names by language: Jira localises them per user (`In Arbeit`), which is why clients branch on `key`. */
  readonly names: { readonly en: string; readonly de: string; readonly fr: string }
}

export const STATUS_CATEGORIES: ReadonlyArray<StatusCategoryInfo> = [
  {
    id: 1,
    key: "undefined",
    colorName: "medium-gray",
    names: { en: "No Category", de: "Keine Kategorie", fr: "Aucune catégorie" }
  },
  { id: 2, key: "new", colorName: "blue-gray", names: { en: "To Do", de: "Zu erledigen", fr: "À faire" } },
  { id: 4, key: "indeterminate", colorName: "yellow", names: { en: "In Progress", de: "In Arbeit", fr: "En cours" } },
  { id: 3, key: "done", colorName: "green", names: { en: "Done", de: "Fertig", fr: "Terminé" } }
]

export const statusCategory = (key: StatusCategoryKey): StatusCategoryInfo => {
  const found = STATUS_CATEGORIES.find((category) => category.key === key)
  if (found === undefined) throw new Error(`unknown status category ${key}`)
  return found
}

export type Language = keyof StatusCategoryInfo["names"]

export const languageOf = (locale: string | undefined): Language => {
  const lang = (locale ?? "en").slice(0, 2).toLowerCase()
  return lang === "de" || lang === "fr" ? lang : "en"
}
