import { enrichDataset, RESOLUTIONS } from "./dataset-details.ts"
import { DEMO_ACCOUNT, DEMO_ACCOUNT_RESTRICTED } from "./demo.ts"
import { createPrng, type Prng } from "./prng.ts"
import type { Dataset, SimIssue, SimIssueType, SimPriority, SimProject, SimStatus, SimUser } from "./types.ts"

const DAY = 86_400_000

/** @internal not used by production code: for tests and test support */
export const STATUSES: ReadonlyArray<SimStatus> = [
  { id: "10000", name: "To Do", category: "new" },
  { id: "3", name: "In Progress", category: "indeterminate" },
  { id: "10001", name: "Done", category: "done" },
  { id: "10002", name: "In Review", category: "indeterminate" },
  { id: "10003", name: "Backlog", category: "new" },
  { id: "10004", name: "Blocked", category: "indeterminate" },
  { id: "10100", name: "Offen", category: "new" },
  { id: "10101", name: "In Arbeit", category: "indeterminate" },
  { id: "10102", name: "Erledigt", category: "done" },
  { id: "10200", name: "À faire", category: "new" },
  { id: "10201", name: "En cours", category: "indeterminate" },
  { id: "10202", name: "Terminé", category: "done" },
  { id: "10300", name: "Waiting for support", category: "new" },
  { id: "10301", name: "Waiting for customer", category: "indeterminate" },
  { id: "10302", name: "Resolved", category: "done" },
  { id: "6", name: "Closed", category: "done" },
  { id: "10400", name: "Parking lot", category: "new" },
  { id: "10401", name: "Discovery", category: "indeterminate" },
  { id: "10402", name: "Delivered", category: "done" },
  { id: "10403", name: "Won't do", category: "done" },
  { id: "10500", name: "Imported", category: "undefined" }
]

/** @internal not used by production code: for tests and test support */
export const PRIORITIES: ReadonlyArray<SimPriority> = [
  { id: "1", name: "Highest", icon: "highest.svg" },
  { id: "2", name: "High", icon: "high.svg" },
  { id: "3", name: "Medium", icon: "medium.svg" },
  { id: "4", name: "Low", icon: "low.svg" },
  { id: "5", name: "Lowest", icon: "lowest.svg" }
]

/** @internal not used by production code: for tests and test support */
export const ISSUE_TYPES: ReadonlyArray<SimIssueType> = [
  { id: "10000", name: "Epic", subtask: false, hierarchyLevel: 1 },
  { id: "10001", name: "Story", subtask: false, hierarchyLevel: 0 },
  { id: "10002", name: "Task", subtask: false, hierarchyLevel: 0 },
  { id: "10003", name: "Bug", subtask: false, hierarchyLevel: 0 },
  { id: "10004", name: "Sub-task", subtask: true, hierarchyLevel: -1 },
  { id: "10005", name: "Service request", subtask: false, hierarchyLevel: 0 },
  { id: "10006", name: "Incident", subtask: false, hierarchyLevel: 0 },
  { id: "10007", name: "Idea", subtask: false, hierarchyLevel: 0 }
]

const user = (
  accountId: string,
  displayName: string,
  timeZone: string,
  extra: Partial<Pick<SimUser, "accountType" | "active" | "emailAddress">> = {}
): SimUser => ({
  accountId,
  displayName,
  accountType: extra.accountType ?? "atlassian",
  active: extra.active ?? true,
  timeZone,
  ...(extra.emailAddress !== undefined ? { emailAddress: extra.emailAddress } : {})
})

/** @internal not used by production code: for tests and test support */
export const USERS = {
  demoBot: user(DEMO_ACCOUNT.accountId, DEMO_ACCOUNT.displayName, DEMO_ACCOUNT.timeZone, {
    emailAddress: DEMO_ACCOUNT.emailAddress
  }),
  anna: user(DEMO_ACCOUNT_RESTRICTED.accountId, DEMO_ACCOUNT_RESTRICTED.displayName, DEMO_ACCOUNT_RESTRICTED.timeZone),
  ada: user("557058:1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "Ada Lovelace", "Europe/London"),
  juergen: user("557058:2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "Jürgen Müller", "Europe/Berlin"),
  amelie: user("557058:3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f", "Amélie Dubois", "Europe/Paris"),
  taro: user("557058:4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f8a", "山田 太郎", "Asia/Tokyo"),
  sara: user("557058:5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8a9b", "سارة علي", "Asia/Riyadh"),
  ngozi: user("557058:6f7a8b9c-0d1e-4f2a-9b4c-5d6e7f8a9b0c", "Ngozi Okafor", "Africa/Lagos"),
  automation: user("557058:f58131cb-b67d-43c7-b30d-6b58d40bd077", "Automation for Jira", "UTC", {
    accountType: "app"
  }),
  former: user("557058:7a8b9c0d-1e2f-4a3b-8c5d-6e7f8a9b0c1d", "Former Employee", "America/New_York", {
    active: false
  })
} as const

const DEFAULT_USERS: ReadonlyArray<SimUser> = Object.values(USERS)

type Workflow = ReadonlyArray<readonly [statusId: string, weight: number]>

const WORKFLOWS = {
  software: [
    ["10003", 2],
    ["10000", 4],
    ["3", 4],
    ["10002", 2],
    ["10004", 1],
    ["10001", 7]
  ],
  german: [
    ["10100", 4],
    ["10101", 3],
    ["10102", 5]
  ],
  french: [
    ["10200", 4],
    ["10201", 3],
    ["10202", 5]
  ],
  serviceDesk: [
    ["10300", 4],
    ["10301", 3],
    ["10302", 4],
    ["6", 2]
  ],
  discovery: [
    ["10400", 5],
    ["10401", 3],
    ["10402", 2],
    ["10403", 1]
  ],
  legacy: [
    ["10500", 1],
    ["10001", 10],
    ["10000", 3]
  ]
} as const satisfies Record<string, Workflow>

type SummaryStyle = "en" | "de" | "fr" | "zh"

interface ProjectPlan {
  readonly project: SimProject
  readonly issues: number
  readonly workflow: Workflow
  readonly issueTypes: ReadonlyArray<readonly [string, number]>
  readonly members: ReadonlyArray<readonly [string, number]>
  readonly summaries: SummaryStyle
  /** Product discovery projects have no priority field: the key is missing from the issue JSON. */
  readonly hasPriority: boolean
}

const SOFTWARE_TYPES = [
  ["10001", 5],
  ["10002", 4],
  ["10003", 4],
  ["10000", 1],
  ["10004", 1]
] as const
const BUSINESS_TYPES = [
  ["10002", 6],
  ["10004", 1]
] as const
const SERVICE_TYPES = [
  ["10005", 3],
  ["10006", 2]
] as const
const IDEA_TYPES = [["10007", 1]] as const

const project = (
  id: number,
  key: string,
  name: string,
  projectTypeKey: string,
  lead: SimUser,
  simplified = false
): SimProject => ({
  id: String(id),
  key,
  name,
  projectTypeKey,
  leadAccountId: lead.accountId,
  simplified,
  avatarId: String(10400 + (id % 25)),
  description: `${name} (simulated project)`
})

const { demoBot, anna, ada, juergen, amelie, taro, sara, ngozi, automation, former } = USERS

const DEFAULT_PLANS: ReadonlyArray<ProjectPlan> = [
  {
    project: project(10000, "DEMO", "Sciple Demo", "software", demoBot),
    issues: 150,
    workflow: WORKFLOWS.software,
    issueTypes: SOFTWARE_TYPES,
    members: [
      [demoBot.accountId, 4],
      [ada.accountId, 3],
      [ngozi.accountId, 2],
      [anna.accountId, 2],
      [automation.accountId, 1]
    ],
    summaries: "en",
    hasPriority: true
  },
  {
    project: project(10001, "WEB", "Website Relaunch", "software", ada),
    issues: 80,
    workflow: WORKFLOWS.software,
    issueTypes: SOFTWARE_TYPES,
    members: [
      [ada.accountId, 3],
      [demoBot.accountId, 2],
      [sara.accountId, 2],
      [former.accountId, 1]
    ],
    summaries: "en",
    hasPriority: true
  },
  {
    project: project(10002, "MOB", "Mobile App", "software", ngozi, true),
    issues: 60,
    workflow: WORKFLOWS.software,
    issueTypes: SOFTWARE_TYPES,
    members: [
      [ngozi.accountId, 3],
      [taro.accountId, 2],
      [demoBot.accountId, 1]
    ],
    summaries: "en",
    hasPriority: true
  },
  {
    project: project(10003, "OPS", "IT-Betrieb", "business", juergen),
    issues: 70,
    workflow: WORKFLOWS.german,
    issueTypes: BUSINESS_TYPES,
    members: [
      [juergen.accountId, 3],
      [anna.accountId, 3],
      [demoBot.accountId, 1]
    ],
    summaries: "de",
    hasPriority: true
  },
  {
    project: project(10004, "MKT", "Marketing Équipe", "business", amelie),
    issues: 50,
    workflow: WORKFLOWS.french,
    issueTypes: BUSINESS_TYPES,
    members: [
      [amelie.accountId, 3],
      [anna.accountId, 1],
      [demoBot.accountId, 1]
    ],
    summaries: "fr",
    hasPriority: true
  },
  {
    project: project(10005, "HELP", "Customer Help Desk", "service_desk", sara),
    issues: 90,
    workflow: WORKFLOWS.serviceDesk,
    issueTypes: SERVICE_TYPES,
    members: [
      [sara.accountId, 3],
      [ada.accountId, 1],
      [automation.accountId, 1],
      [demoBot.accountId, 1]
    ],
    summaries: "en",
    hasPriority: true
  },
  {
    project: project(10006, "IDEA", "Product Ideas", "product_discovery", taro, true),
    issues: 40,
    workflow: WORKFLOWS.discovery,
    issueTypes: IDEA_TYPES,
    members: [
      [taro.accountId, 2],
      [demoBot.accountId, 1]
    ],
    summaries: "en",
    hasPriority: false
  },
  {
    project: project(10007, "LEG", "Legacy Archive", "software", former),
    issues: 20,
    workflow: WORKFLOWS.legacy,
    issueTypes: SOFTWARE_TYPES,
    members: [[former.accountId, 1]],
    summaries: "en",
    hasPriority: true
  },
  {
    project: project(10008, "DATA", "数据平台", "software", taro),
    issues: 30,
    workflow: WORKFLOWS.software,
    issueTypes: SOFTWARE_TYPES,
    members: [
      [taro.accountId, 3],
      [demoBot.accountId, 1]
    ],
    summaries: "zh",
    hasPriority: true
  },
  {
    project: project(10009, "RND", "R&D <Lab>", "business", ada),
    issues: 20,
    workflow: WORKFLOWS.software,
    issueTypes: BUSINESS_TYPES,
    members: [
      [ada.accountId, 1],
      [ngozi.accountId, 1]
    ],
    summaries: "en",
    hasPriority: true
  },
  {
    project: project(10010, "NEW", "Fresh Start", "software", demoBot, true),
    issues: 0,
    workflow: WORKFLOWS.software,
    issueTypes: SOFTWARE_TYPES,
    members: [[demoBot.accountId, 1]],
    summaries: "en",
    hasPriority: true
  }
]

/**
 * Summaries of DEMO-1 ... DEMO-12: markup, emoji, CJK, right-to-left text, quotes and escapes.
 * @internal not used by production code: for tests and test support
 */
export const SPECIAL_SUMMARIES: ReadonlyArray<string> = [
  "<script>alert(1)</script>",
  "Ship the 🚀 launch checklist ✅",
  "数据导出在大文件时失败",
  "تحديث واجهة المستخدم للوحة التحكم",
  `Quote "double", 'single' and back\\slash C:\\temp\\new`,
  `<img src=x onerror="alert('xss')"> in the preview`,
  "Ünïcödé naïve café — em dash & ampersand",
  `Very long summary: ${"the quick brown fox jumps over the lazy dog ".repeat(5).trim()}`.slice(0, 255),
  "Pair programming 👩‍💻 with a zero\u200bwidth space and combining e\u0301",
  "Braces {curly} [square] $dollar %percent #hash",
  "Robert'); DROP TABLE issues;--",
  "Mixed: עברית and English in one line"
]

const EN_VERBS = ["Fix", "Add", "Update", "Remove", "Refactor", "Investigate", "Document", "Migrate", "Improve", "Test"]
const EN_OBJECTS = [
  "login redirect loop",
  "dashboard loading time",
  "CSV export",
  "password reset email",
  "search results paging",
  "dark mode colours",
  "API rate limit handling",
  "billing page layout",
  "onboarding checklist",
  "audit log retention",
  "mobile push notifications",
  "project settings form",
  "SSO configuration",
  "release notes",
  "flaky integration test"
]
const DE = [
  "Drucker im 3. OG reparieren",
  "VPN-Zugang für neue Mitarbeiter einrichten",
  "Laptop-Rollout planen",
  "Backup-Wiederherstellung testen",
  "Lizenzverlängerung prüfen",
  "Serverraum-Klimaanlage warten",
  "Passwortrichtlinie aktualisieren",
  "Größere Festplatten bestellen"
]
const FR = [
  "Préparer la campagne d'été",
  "Rédiger la newsletter de mars",
  "Mettre à jour la charte graphique",
  "Organiser le salon à Lyon",
  "Traduire la page d'accueil",
  "Analyser les résultats du trimestre",
  "Créer les visuels pour les réseaux sociaux"
]
const ZH = [
  "优化数据管道性能",
  "修复报表导出错误",
  "迁移到新的数据仓库",
  "增加数据质量检查",
  "更新用户权限模型",
  "编写接口文档"
]

const summaryFor = (style: SummaryStyle, prng: Prng): string => {
  switch (style) {
    case "de":
      return prng.pick(DE)
    case "fr":
      return prng.pick(FR)
    case "zh":
      return prng.pick(ZH)
    case "en":
      return `${prng.pick(EN_VERBS)} ${prng.pick(EN_OBJECTS)}`
  }
}

const PRIORITY_WEIGHTS = [
  ["3", 40],
  ["2", 20],
  ["4", 20],
  ["1", 7],
  ["5", 5],
  ["", 8]
] as const

interface IssueCounter {
  nextId: number
}

const generateIssues = (
  plan: ProjectPlan,
  prng: Prng,
  now: number,
  counter: IssueCounter,
  spanDays: number
): SimIssue[] => {
  const createdTimes = Array.from({ length: plan.issues }, () => now - Math.floor(prng.next() * spanDays * DAY))
  createdTimes.sort((a, b) => a - b)
  return createdTimes.map((created, index) => {
    const number = index + 1
    const updated = prng.chance(0.15) ? created : created + Math.floor(prng.next() * (now - created))
    const assignee = prng.chance(0.2) ? null : prng.weighted(plan.members)
    const priority = prng.weighted(PRIORITY_WEIGHTS)
    const special = plan.project.key === "DEMO" ? SPECIAL_SUMMARIES[index] : undefined
    const issue: SimIssue = {
      id: String(counter.nextId++),
      key: `${plan.project.key}-${number}`,
      projectKey: plan.project.key,
      summary: special ?? summaryFor(plan.summaries, prng),
      statusId: prng.weighted(plan.workflow),
      issueTypeId: prng.weighted(plan.issueTypes),
      assigneeAccountId: assignee,
      created,
      updated,
      ...(plan.hasPriority ? { priorityId: priority === "" ? null : priority } : {})
    }
    return issue
  })
}

export interface DefaultDatasetOptions {
  /** The instant the dates are relative to; they spread over the 90 days before it. */
  readonly now?: number | Date | undefined
  readonly seed?: number | undefined
}

const toMs = (now: number | Date | undefined): number =>
  now === undefined ? Date.now() : typeof now === "number" ? now : now.getTime()

const BASE_ISSUE_ID = 10000

/**
 * The demo site's data: 11 projects of every type (one without issues), 610 issues with every status
 * category (a few `undefined`), German and French status names, unassigned issues, empty and missing
 * priorities, and awkward summaries. The same seed and `now` give the same data.
 */
export const createDefaultDataset = (options: DefaultDatasetOptions = {}): Dataset => {
  const prng = createPrng(options.seed ?? 42)
  const now = toMs(options.now)
  const counter = { nextId: BASE_ISSUE_ID }
  const plain = DEFAULT_PLANS.flatMap((plan) => generateIssues(plan, prng, now, counter, 90))
  const projects = DEFAULT_PLANS.map((plan) => plan.project)
  const members = new Map(DEFAULT_PLANS.map((plan) => [plan.project.key, plan.members.map(([id]) => id)]))
  const details = enrichDataset(projects, plain, STATUSES, (p) => members.get(p.key) ?? [], options.seed ?? 42)
  return {
    users: DEFAULT_USERS,
    statuses: STATUSES,
    priorities: PRIORITIES,
    issueTypes: ISSUE_TYPES,
    projects,
    issues: details.issues,
    resolutions: RESOLUTIONS,
    components: details.components,
    versions: details.versions,
    sprints: details.sprints
  }
}

export interface GenerateDatasetOptions {
  readonly projects: number
  /** A fixed number, or an inclusive range drawn per project. */
  readonly issuesPerProject: number | readonly [min: number, max: number]
  readonly seed?: number | undefined
  readonly now?: number | Date | undefined
  /** How far back `created` goes; 90 days by default. */
  readonly spanDays?: number | undefined
}

const PROJECT_TYPES = ["software", "business", "service_desk", "product_discovery"] as const

/** `0 -> A`, `25 -> Z`, `26 -> AA`: project keys must be letters first. */
const letters = (index: number): string => {
  let n = index
  let out = ""
  do {
    out = String.fromCharCode(65 + (n % 26)) + out
    n = Math.floor(n / 26) - 1
  } while (n >= 0)
  return out
}

/** A synthetic dataset of any size, for scaling benchmarks: projects `PA`, `PB`, ... with the default users. */
export const generateDataset = (options: GenerateDatasetOptions): Dataset => {
  const prng = createPrng(options.seed ?? 1)
  const now = toMs(options.now)
  const counter = { nextId: BASE_ISSUE_ID }
  const members = DEFAULT_USERS.map((u) => [u.accountId, u.accountId === DEMO_ACCOUNT.accountId ? 3 : 1] as const)
  const projects: SimProject[] = []
  const issues: SimIssue[] = []
  for (let index = 0; index < options.projects; index++) {
    const type = PROJECT_TYPES[index % PROJECT_TYPES.length] ?? "software"
    const key = `P${letters(index)}`
    const lead = prng.pick(DEFAULT_USERS)
    const p = project(20000 + index, key, `Project ${key}`, type, lead, index % 3 === 0)
    projects.push(p)
    const range = options.issuesPerProject
    const count = typeof range === "number" ? range : prng.int(range[0], range[1])
    const plan: ProjectPlan = {
      project: p,
      issues: count,
      workflow:
        type === "service_desk"
          ? WORKFLOWS.serviceDesk
          : type === "product_discovery"
            ? WORKFLOWS.discovery
            : WORKFLOWS.software,
      issueTypes: type === "service_desk" ? SERVICE_TYPES : type === "product_discovery" ? IDEA_TYPES : SOFTWARE_TYPES,
      members,
      summaries: "en",
      hasPriority: type !== "product_discovery"
    }
    for (const issue of generateIssues(plan, prng, now, counter, options.spanDays ?? 90)) issues.push(issue)
  }
  const everyone = DEFAULT_USERS.map((u) => u.accountId)
  const details = enrichDataset(projects, issues, STATUSES, () => everyone, options.seed ?? 1)
  return {
    users: DEFAULT_USERS,
    statuses: STATUSES,
    priorities: PRIORITIES,
    issueTypes: ISSUE_TYPES,
    projects,
    issues: details.issues,
    resolutions: RESOLUTIONS,
    components: details.components,
    versions: details.versions,
    sprints: details.sprints
  }
}
