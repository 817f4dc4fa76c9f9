// A realistic policy of about the requested size: the shared declarations once, then as many
// distinct processes as it takes, each exercising approvals, checks, branches and templates.

const HEADER = `policy "Generated benchmark policy" version 1 effective 2026-12-01
owner "pmo@example.com"

calendar office {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
  holidays 2026-12-24, 2026-12-25, 2027-01-01
}

role cab = group "change-advisory-board"
role it_director = group "it-directors"
role security = group "secops"
`;

function processText(n: number): string {
  return `
rule costly_${n} = request.budget > ${n + 10}_000 EUR or request.risk == "high"
  because "costly or risky changes need the change advisory board"

process change_${n} {
  input {
    title: text
    project: text
    risk: "low" | "medium" | "high"
    budget: money EUR
    downtime: duration
    requester: person
    systems: list of text = []
  }

  check fields_${n}: require request.title != "" and request.downtime <= 8h
    else "downtime of {request.title} above 8 hours needs a maintenance window"

  if costly_${n} {
    approve cab_${n} {
      by cab
      at least 2 of 3
      any reject rejects
      not request.requester
      within 2 business days on office
      remind every 1 business day
      escalate after 2 business days to it_director
      on timeout reject "no CAB decision in time"
    }
  } else if request.risk == "medium" {
    approve manager_${n} {
      by manager of request.requester
      within 48h
      on timeout escalate to it_director
    }
  } else {
    notify request.requester: "change {request.title} needs no approval"
  }

  parallel {
    check scan_${n}: external "vulnerability-scan" timeout 2h retry 3
      on fail require waiver by security within 5 days valid for 90 days
    check licenses_${n}: attest by security "license terms reviewed" with evidence
  }

  notify request.requester, cab: "change {request.title} approved ({count(request.systems)} systems)"
}
`;
}

export function generatePolicy(targetBytes: number): string {
  const parts = [HEADER];
  let size = HEADER.length;
  for (let n = 1; size < targetBytes; n++) {
    const text = processText(n);
    parts.push(text);
    size += text.length;
  }
  return parts.join('');
}
