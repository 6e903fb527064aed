"""``hall-admin`` commands of the status page and the notices.

``serve`` runs the visitors' status page; ``notify-sender`` sends the
outbox; ``status`` turns the page on/off, sets the printed address and hands
out a code for a case; ``notify`` lists dead letters, retries one, and tells
everyone waiting that the hall closes early.
"""
from __future__ import annotations

import os

from hall.domain.clock import Clock, FakeNowError, default_clock


def process_clock() -> Clock:
    """Real time, or ``HALL_FAKE_NOW`` running on from its moment (a child
    process of a test runs on the test's clock and still sees leases and
    back-offs expire)."""
    try:
        return default_clock(tick=True)
    except FakeNowError as exc:
        from hall.cli import CliError

        raise CliError(str(exc)) from None


def _db(args):
    from hall.cli import opened
    from hall.store.db import Database

    db = opened(Database(args.db, clock=process_clock()))
    db.upgrade()
    return db


def cmd_serve(args) -> None:
    from hall import status_server
    from hall.cli import CliError
    from hall.services import status, system_actor

    if not 0 <= args.port <= 65535:
        raise CliError(f"端口应在 0–65535 之间，而不是 {args.port}")
    db = _db(args)
    if args.public_url:
        status.set_base_url(db, system_actor(), args.public_url)
    try:
        server = status_server.serve(db, args.bind, args.port,
                                     limiter=status_server.RateLimiter(args.rate_limit, 60.0),
                                     min_response_s=args.min_response_ms / 1000)
    except (OSError, OverflowError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise CliError(f"无法在 {args.bind}:{args.port} 上启动查询服务：{reason}") from None
    host, port = server.server_address[:2]
    if not isinstance(host, str):   # an IPv4/IPv6 server's host is a str
        host = host.decode()
    print(f"进度查询服务已启动：http://{host}:{port}/（按 Ctrl+C 停止）", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


def cmd_sender(args) -> None:
    from hall import notify_sender
    from hall.cli import CliError

    gateways: dict[str, notify_sender.Gateway] = {}
    wechat = None
    if args.sms_gateway:
        gateways["sms"] = notify_sender.HttpGateway(args.sms_gateway, token=os.environ.get("HALL_SMS_TOKEN", ""))
    if args.wechat_relay:
        secret = os.environ.get("HALL_WECHAT_SECRET", "")
        if not secret:
            raise CliError("微信中继需要共享密钥：请设置环境变量 HALL_WECHAT_SECRET")
        wechat = gateways["wechat"] = notify_sender.WeChatRelayGateway(args.wechat_relay, secret)
    if args.smtp:
        host, _, port = args.smtp.partition(":")
        try:
            gateways["email"] = notify_sender.SmtpGateway(host, int(port or 25), sender=args.mail_from)
        except ValueError:
            raise CliError(f"--smtp 应为 主机:端口，而不是“{args.smtp}”") from None
    if not gateways:
        raise CliError("请至少给出一个网关：--sms-gateway URL、--wechat-relay URL 或 --smtp 主机:端口")
    db = _db(args)
    if wechat is not None:    # the signed timestamp on the hall's clock
        wechat.now = lambda: db.clock.now().timestamp()
    print("通知发送进程已启动", flush=True)
    n = notify_sender.run(db, gateways, once=args.once, poll_s=args.poll, lease_s=args.lease,
                          backoff_s=args.backoff, limit=args.batch)
    if args.once:
        print(f"已发送 {n} 条")


def cmd_status(args) -> None:
    from hall.cli import output
    from hall.services import status, system_actor

    db = _db(args)
    actor = system_actor()
    if args.status_cmd in ("on", "off"):
        on = status.set_enabled(db, actor, args.status_cmd == "on")
        output(args, {"enabled": on}, "进度查询已开启" if on else "进度查询已关闭")
    elif args.status_cmd == "url":
        url = status.set_base_url(db, actor, args.url)
        output(args, {"base_url": url}, f"二维码地址：{url}")
    else:
        token = status.issue_public_token(db, actor, args.kind, args.id)
        with db.read() as s:
            url = status.status_url(status.base_url(s), token)
        output(args, {"url": url}, f"查询链接（旧链接已失效）：{url}")


def cmd_notify(args) -> None:
    from hall.cli import output
    from hall.services import notices, system_actor

    db = _db(args)
    actor = system_actor()
    if args.notify_cmd == "dead":
        rows = notices.dead_letters(db, actor)
        output(args, {"dead": [r.to_json() for r in rows]},
               "\n".join(f"{r.id}\t{r.kind_label}\t{r.ticket_number}\t{r.address}\t{r.attempts} 次\t{r.last_error}"
                         for r in rows) or "没有发送失败的通知")
    elif args.notify_cmd == "channel":
        ch = notices.set_phone_channel(db, actor, args.channel)
        output(args, {"phone_channel": ch}, f"手机号的通知今后经{notices.CHANNEL_LABELS[ch]}发送")
    elif args.notify_cmd == "retry":
        notices.retry_dead(db, actor, args.id)
        output(args, {"retried": args.id}, f"通知 {args.id} 将重新发送")
    else:
        n = notices.announce_early_close(db, actor, args.reason)
        output(args, {"messages": n}, f"已通知 {n} 位等候的来访人")


def register(add, common) -> None:
    from hall.cli import _Parser

    s = add("serve", cmd_serve, "在局域网提供来访人进度查询页面")
    s.add_argument("--port", type=int, default=8080)
    s.add_argument("--bind", default="127.0.0.1", help="监听地址（局域网用本机的局域网 IP 或 0.0.0.0）")
    s.add_argument("--public-url", help="印在二维码上的地址，如 http://192.168.1.5:8080")
    s.add_argument("--rate-limit", type=int, default=30, help="每个地址每分钟最多请求数")
    s.add_argument("--min-response-ms", type=float, default=150.0, help="查询码页面的最短应答时间")

    n = add("notify-sender", cmd_sender, "发送通知（短信网关 / 邮件），失败重试")
    n.add_argument("--sms-gateway", help="短信中继的 HTTP 地址（POST JSON）")
    n.add_argument("--wechat-relay", help="本大厅微信中继的 HTTP 地址（签名 JSON；密钥取自环境变量 HALL_WECHAT_SECRET）")
    n.add_argument("--smtp", help="邮件服务器 主机:端口")
    n.add_argument("--mail-from", default="hall@localhost")
    n.add_argument("--once", action="store_true", help="发送一轮后退出")
    n.add_argument("--poll", type=float, default=2.0, help="无消息时的等待秒数")
    n.add_argument("--lease", type=float, default=120.0, help="认领一条消息的租期（秒）")
    n.add_argument("--backoff", type=float, default=30.0, help="首次重试前的等待秒数（之后逐次加倍）")
    n.add_argument("--batch", type=int, default=20)

    st = add("status", cmd_status, "进度查询：开启/关闭、二维码地址、发放查询码")
    ss = st.add_subparsers(dest="status_cmd", required=True, parser_class=_Parser)
    ss.add_parser("on", parents=[common])
    ss.add_parser("off", parents=[common])
    su = ss.add_parser("url", parents=[common])
    su.add_argument("url")
    stok = ss.add_parser("token", parents=[common], help="为案件/仲裁/信访/排队号发放新的查询码")
    stok.add_argument("kind", choices=["ticket", "case", "arbitration", "petition"])
    stok.add_argument("id", type=int)

    no = add("notify", cmd_notify, "通知：失败列表、重发、提前结束办理")
    ns = no.add_subparsers(dest="notify_cmd", required=True, parser_class=_Parser)
    ns.add_parser("dead", parents=[common])
    nch = ns.add_parser("channel", parents=[common], help="手机号的通知走短信还是微信（经本大厅微信中继）")
    nch.add_argument("channel", choices=["sms", "wechat"])
    nr = ns.add_parser("retry", parents=[common])
    nr.add_argument("id", type=int)
    ne = ns.add_parser("early-close", parents=[common])
    ne.add_argument("--reason", required=True)
