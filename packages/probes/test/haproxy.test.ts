import test from 'ava';
import { haproxyBackendVerdicts, parseHaproxyCsv, serverState, worst } from '../src/index.js';

// Rows of marathon-lb's own fixture, github:mesosphere/marathon-lb tests/haproxy_stats.csv
// (commit 4d1003f582cd02620be5f8c9e8be4ed0f4395ce1): listener rows (type 3, OPEN and MAINT),
// a frontend, servers and backends, and a second `# pxname,…` header line in the middle.
const HEADER =
  '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,comp_rsp,lastsess,last_chk,last_agt,qtime,ctime,rtime,ttime,';
const MARATHON_LB_CSV = [
  HEADER,
  'http-in,FRONTEND,,,1,100,100,1956342,548244383,42792606510,11265,0,22992,,,,,OPEN,,,,,,,,,1,2,0,,,,0,1,0,132,,,,0,1487508,513463,121619,56028,10152,,1,207,2178698,,,26454652356,12904138260,50936,460937,,,,,,,,',
  'http-in,IPv4-direct,,,1,98,100,534002,87052338,1878877542,10928,0,2,,,,,OPEN,,,,,,,,,1,2,1,,,,3,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  'http-in,10_0_6_25_16916,,,0,30,100,325347,100108803,5248781681,57,0,22990,,,,,MAINT,,,,,,,,,1,2,3,,,,3,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  'www,www,0,0,0,20,20,1343634,440969164,41418239264,,0,,0,163,27,0,UP,1,1,0,15,2,1942980,243,,1,3,1,,1342257,,2,0,,207,L7OK,200,3,19,1060778,131614,75605,4,0,0,,,,233543,663,,,,,3,OK,,0,1,16,1126,',
  'www,bck,0,0,0,3,10,73,26857,1961294,,0,,0,0,0,0,UP,1,0,1,2,1,2949913,6,,1,3,2,,71,,2,0,,11,L7OK,200,2,0,29,13,31,0,0,0,,,,2,0,,,,,1942983,OK,,33,1,3,289,',
  'www,BACKEND,0,37,0,58,100,1345945,442029652,41420675530,58,0,,12,163,27,0,UP,1,1,1,,1,2949913,6,,1,3,0,,1342328,,1,0,,207,,,,0,1060807,131627,97412,56023,74,,,,,233566,663,26041561563,12793472977,50936,445329,3,,,0,1,16,1126,',
  'git,www,0,0,0,2,2,9388,4296645,114593316,,0,,0,0,1,0,UP,1,1,0,14,2,1942980,245,,1,4,1,,7921,,2,0,,2,L7OK,200,3,0,3565,5721,101,0,0,0,,,,208,1,,,,,267,OK,,1237,1,2460,4133,',
  HEADER,
  'http-in,IPv6-direct,,,0,30,100,325347,100108803,5248781681,57,0,22990,,,,,OPEN,,,,,,,,,1,2,3,,,,3,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,',
  'www,www,0,0,0,20,20,1343634,440969164,41418239264,,0,,0,163,27,0,UP,1,1,0,15,2,1942980,243,,1,3,1,,1342257,,2,0,,207,L7OK,200,3,19,1060778,131614,75605,4,0,0,,,,233543,663,,,,,3,OK,,0,1,16,1126,',
  'git,bck,0,0,0,0,2,0,0,0,,0,,0,0,0,0,UP,1,0,1,2,0,2949920,0,,1,4,2,,0,,2,0,,0,L7OK,200,2,0,0,0,0,0,0,0,,,,0,0,,,,,-1,OK,,0,0,0,0,',
  '',
].join('\n');

test("marathon-lb's stats CSV: only type-2 rows are servers, the repeated header is skipped", (t) => {
  t.deepEqual(
    parseHaproxyCsv(MARATHON_LB_CSV).map((s) => `${s.backend}/${s.server} ${s.status}`),
    ['www/www UP', 'www/bck UP', 'git/www UP', 'git/bck UP'],
  );
  const verdicts = haproxyBackendVerdicts('http://lb:9090/haproxy', parseHaproxyCsv(MARATHON_LB_CSV), 1);
  t.deepEqual(
    verdicts.map((v) => [v.system, v.status, v.summary]),
    [
      ['haproxy http://lb:9090/haproxy backend www', 'OK', '2/2 up'],
      ['haproxy http://lb:9090/haproxy backend git', 'OK', '2/2 up'],
    ],
  );
});

test('the status words of the management guide, section 9.1', (t) => {
  t.deepEqual(
    [
      'UP',
      'UP 1/3',
      'no check',
      'DRAIN',
      'NOLB',
      'MAINT',
      'MAINT(via)',
      'MAINT(resolution)',
      'DOWN',
      'DOWN 1/2',
    ].map(serverState),
    ['up', 'up', 'up', 'draining', 'draining', 'maintenance', 'maintenance', 'maintenance', 'down', 'down'],
  );
});

test('a quoted field with a comma stays one field', (t) => {
  const csv = '# pxname,svname,status,type\n"a,b",s1,UP,2\n';
  t.deepEqual(
    parseHaproxyCsv(csv).map((s) => s.backend),
    ['a,b'],
  );
});

test('one dead backend among healthy ones is CRITICAL; MAINT and DRAIN are WARNING', (t) => {
  const csv = [
    '# pxname,svname,status,check_status,type',
    'web,w1,UP,L4OK,2',
    'web,BACKEND,UP,,1',
    'api,a1,DOWN,L4CON,2',
    'api,a2,DOWN,L4CON,2',
    'api,BACKEND,DOWN,,1',
    'db,d1,MAINT,,2',
    'db,d2,UP,L4OK,2',
    'cache,c1,DRAIN,L4OK,2',
    'cache,c2,no check,,2',
  ].join('\n');
  const verdicts = haproxyBackendVerdicts('http://lb/stats', parseHaproxyCsv(csv), 1);
  t.deepEqual(
    verdicts.map((v) => [v.system.replace('haproxy http://lb/stats backend ', ''), v.status, v.summary]),
    [
      ['web', 'OK', '1/1 up'],
      ['api', 'CRITICAL', '0/2 up, 2 DOWN'],
      ['db', 'WARNING', '1/2 up, 1 in MAINT'],
      ['cache', 'WARNING', '1/2 up, 1 draining (existing sessions only, no new ones)'],
    ],
  );
  t.is(worst(verdicts.map((v) => v.status)), 'CRITICAL');
});

test('a stats CSV without server rows is UNKNOWN, not OK', (t) => {
  const csv = '# pxname,svname,status,type\nstats,FRONTEND,OPEN,0\nstats,BACKEND,UP,1\n';
  t.deepEqual(
    haproxyBackendVerdicts('http://lb/stats', parseHaproxyCsv(csv), 1).map((v) => [v.status, v.summary]),
    [['UNKNOWN', 'no server rows in the stats CSV: no backend to judge']],
  );
});
