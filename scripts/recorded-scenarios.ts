// The test scenarios of each shipped policy whose Temporal histories scripts/record-histories.ts
// records for test/integration/replay.test.ts: approvals, reminders and escalations, checks,
// waivers and parallel branches, chosen so that every shipped policy has some. A policy added to
// policies/ needs an entry here (the recorder refuses to run without one).
/**
 * The scenarios recorded, by policy and exact test name: a fixed list, so a re-recording records
 * the same runs. Each policy gets approvals, a timer path (reminders, escalations, timeouts) and,
 * where the policy has them, checks, waivers, parallel branches and reallocations. None of them
 * answers a check from the script (`check` entries): the stub services answer at once, as the
 * world says.
 */
export const RECORDED: Record<string, readonly string[]> = {
  'change-management': [
    'a silent manager is reminded daily and after two business days the change manager takes over',
    'the head of IT operations waives the backout plan for a one-way data migration',
    'a failed vulnerability scan is waived by the CISO and the security team is told to track the finding',
  ],
  'contractor-onboarding': [
    'a framework-agency contractor with standard access and a company laptop is onboarded on the first day',
    'production admin access the CISO never decides is rejected by timeout, but the badge is still issued first',
    'a contractor from a non-framework agency is rejected when procurement grants no waiver within 5 business days',
  ],
  'deliverable-signoff': [
    'a complete, on-time deliverable with a 40,000 EUR milestone is accepted by the product owner, two key users and controlling, and the retention is released after the warranty',
    'a silent product owner is reminded every 2 business days and escalated to the PMO head after 5, who accepts',
    'Berlin HQ acceptance nobody decides in 3 business days is escalated to the IT operations head, who accepts',
  ],
  'project-protocol': [
    'a risk review nobody in the PMO decides goes to the head of the PMO after 5 business days',
    'the PMO rejects a risk review whose register is out of date',
  ],
  'project-stage-gate': [
    'silent finance is escalated to the CFO after 3 London business days and rejected by timeout after 5',
    'a design the architecture board does not attest in time is waived by the CIO for a proof of concept',
  ],
  'regulatory-compliance-review': [
    'a clean SOX quarter is signed off by two internal auditors and compliance, and the next cycle opens 11 weeks later',
    'critical penetration test findings nobody waives within 5 business days reject a PCI DSS review',
    'a compliance sign-off nobody gives is escalated to the general counsel after 3 business days and to the risk committee after 5',
  ],
  'resource-reallocation': [
    'a P1 project takes a block of SAP ABAP capacity from a P3 project after both project managers agree',
    'two P2 projects competing for data engineers go to the portfolio board, which arbitrates with three votes',
  ],
  'training-onboarding': [
    'a qualified CAB member admits a new change approver once the manager has confirmed the ITIL course',
    'nobody on the CAB holds a valid ITIL qualification, so the step blocks and the change manager admits the trainee after the escalation',
  ],
};
