/** A parsed form field as text: a missing field or a file is the empty string. */
export const text = (value: unknown): string => (typeof value === "string" ? value : "")
