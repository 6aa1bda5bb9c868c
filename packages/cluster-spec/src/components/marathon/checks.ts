import { defineCheck } from '../../checks/definition.js';

export const marathonApp = defineCheck({
  id: 'marathon-app',
  severity: 'error',
  waivable: false,
  about: 'a Marathon app Marathon would refuse',
  run: ({ spec, report }) => {
    const seen = new Map<string, number>();
    spec.marathon?.apps?.forEach((app, i) => {
      const path = ['marathon', 'apps', i];
      const first = seen.get(app.id);
      if (first !== undefined)
        report(
          [...path, 'id'],
          `app id "${app.id}" is already used by marathon.apps[${first}]`,
          'give every app its own id',
        );
      seen.set(app.id, i);
      if (app.cmd === undefined && app.docker === undefined)
        report(
          path,
          `app "${app.id}" has neither "cmd" nor "docker"`,
          'give a command to run, a docker image, or both',
        );
      const ports = app.docker?.portMappings?.length ?? 0;
      app.healthChecks?.forEach((check, h) => {
        const at = [...path, 'healthChecks', h];
        if (check.protocol === 'COMMAND' && check.command === undefined)
          report(at, 'a COMMAND health check needs "command"', 'add the command to run');
        if (check.protocol !== 'COMMAND' && app.docker && (check.portIndex ?? 0) >= Math.max(ports, 1))
          report(
            at,
            `portIndex ${check.portIndex ?? 0} points past the app's ${ports} port mapping(s)`,
            'point portIndex at one of docker.portMappings (0-based)',
          );
      });
    });
  },
});
