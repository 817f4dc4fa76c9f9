// A small purchase policy the console's suites and its benchmark share: the requester's manager
// approves within two business days on a Berlin calendar (so deadlines show in business time),
// never the requester (so a stand-in's own request is refused), with delegation allowed.

/** The policy text under `name` (each suite publishes its own, so their tasks never mix). */
export const purchasePolicy = (
  name: string,
): string => `# A purchase the requester's manager approves within two business days, never the requester.
policy "${name}" version 1 effective 2026-01-01
owner "pmo@halden.example"

calendar berlin {
  timezone "Europe/Berlin"
  hours mon-fri 09:00-17:00
}

process purchase {
  input {
    requester: person
    item: text
    budget: money
  }
  approve manager_review {
    by manager of request.requester
    not request.requester
    within 2 business days on berlin
    allow delegation
  }
  end approved "{request.item} may be ordered"
}
`;

/**
 * A two-step purchase (a reviewer, then finance; groups `reviewers` and `finance`) with a text and
 * a number input, under `name`: the studio's Try-it suites build scenarios on it.
 */
export const twoStepPurchase = (name: string): string => `policy "${name}" version 1 effective 2026-01-01
owner "pmo@halden.example"

role reviewer = group "reviewers"
role finance = group "finance"

process purchase {
  input {
    title: text
    amount: number
  }
  approve review {
    by reviewer
  }
  approve budget {
    by finance
  }
}
`;
