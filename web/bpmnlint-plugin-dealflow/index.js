// dealflow's lint for the modeler: bpmnlint's recommended rules, tuned for how a deal diagram is drawn, and
// dealflow's own rules (rules/*.js). web/.bpmnlintrc extends ``plugin:dealflow/recommended``; the npm build
// packs it for the browser, and `npx bpmnlint diagram.bpmn` in web/ lints a file with the same rules.
// The rules mirror what `dealflow process validate` refuses (processes/rules.py, SpiffWorkflow's parser), so
// most mistakes show on the canvas before «Проверить»; the server stays the authority. Messages are fixed
// English strings: the modeler hands each to its translate service (web/processes_ui/modeler_texts.py).
module.exports = {
  configs: {
    recommended: {
      extends: 'bpmnlint:recommended',
      rules: {
        // Turned off because the shipped diagrams are drawn so on purpose:
        // a status is entered from the routing gateway and from elsewhere (the mail start, the director's
        // verdict); each token is its own deal moving, nothing waits to join.
        'bpmnlint/fake-join': 'off',
        // The routing gateway is the hub of the deal diagram: every status returns to it and it forks to every
        // status by next_status (so a deal can be restarted or migrated at any status).
        'bpmnlint/no-gateway-join-fork': 'off',
        // A routing flow says where it goes by its condition (next_status == 'pause') and its target's name;
        // labels on all of them would only clutter the drawing. Tasks and gateways still want a name (the
        // board shows a status's name): our own rules check what matters.
        'bpmnlint/label-required': 'off',
        // The assignment diagram names plain flows after the verdict they stand for: the task's buttons show it.
        'bpmnlint/superfluous-label': 'off',

        'status-properties': 'error',
        'task-has-status': 'warn',
        'status-lane': 'error',
        'routing-conditions': 'error',
        'condition-names-target': 'warn',
        'decision-in-director-lane': 'error',
        'entered-from-start': 'error'
      }
    }
  }
};
