<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="40"/>
        <source>社会治理服务中心</source>
        <translation>Social Governance Service Centre</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="43"/>
        <source>登录 — {centre}</source>
        <translation>Sign in — {centre}</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="53"/>
        <source>工作人员登录</source>
        <translation>Staff sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="58"/>
        <source>工号或用户名</source>
        <translation>Staff number or user name</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="63"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="64"/>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="66"/>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="80"/>
        <location filename="../../ui/login.py" line="137"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="117"/>
        <source>请输入用户名</source>
        <translation>Please enter your user name</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="124"/>
        <source>请输入密码</source>
        <translation>Please enter your password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="137"/>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/shell.py" line="240"/>
        <source>社会治理服务中心</source>
        <translation>Social Governance Service Centre</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="262"/>
        <source>此账户没有可用的工作台</source>
        <translation>This account has no workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="263"/>
        <source>请联系管理员为账户分配角色。</source>
        <translation>Ask an administrator to give the account a role.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="280"/>
        <source>下一个工作台(&amp;N)</source>
        <translation>&amp;Next workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="283"/>
        <source>上一个工作台(&amp;P)</source>
        <translation>&amp;Previous workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="288"/>
        <source>工作台</source>
        <translation>Workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="291"/>
        <source>工作台：</source>
        <translation>Workspace:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="294"/>
        <source>切换工作台（Ctrl+PgDown / Ctrl+PgUp）</source>
        <translation>Switch workspace (Ctrl+PgDown / Ctrl+PgUp)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="303"/>
        <source>系统(&amp;S)</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="304"/>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="309"/>
        <source>切换用户(&amp;U)</source>
        <translation>Switch &amp;user</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="313"/>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="318"/>
        <source>工作台(&amp;W)</source>
        <translation>&amp;Workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="324"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="325"/>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="331"/>
        <source>{name}（{username}）</source>
        <translation>{name} ({username})</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="419"/>
        <source>● 连接中断，正在重试…</source>
        <translation>● Connection lost, retrying…</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="424"/>
        <source>● 已连接</source>
        <translation>● Connected</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="426"/>
        <source>与数据库的连接正常</source>
        <translation>The connection to the database is working</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="441"/>
        <source>窗口 {code}</source>
        <translation>Window {code}</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="443"/>
        <source>调解室 {code}</source>
        <translation>Mediation room {code}</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="445"/>
        <source>未指定窗口</source>
        <translation>no window set</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="446"/>
        <source>本机：{where}</source>
        <translation>This computer: {where}</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="465"/>
        <source>界面语言将在重新启动程序后更改。</source>
        <translation>The language will change when the program is restarted.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="468"/>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="469"/>
        <source>&lt;b&gt;{centre}&lt;/b&gt;&lt;br&gt;一站式矛盾纠纷调处化解服务大厅管理系统&lt;br&gt;版本 {version}</source>
        <translation>&lt;b&gt;{centre}&lt;/b&gt;&lt;br&gt;One-stop dispute resolution service hall&lt;br&gt;Version {version}</translation>
    </message>
</context>
<context>
    <name>Options</name>
    <message>
        <location filename="../../ui/settings.py" line="86"/>
        <source>数据库地址（留空则使用本机默认数据库）</source>
        <extracomment>Every option, by key. Declared once, below.</extracomment>
        <translation>Database address (empty: this computer&apos;s default database)</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="87"/>
        <source>本机所在窗口</source>
        <translation>This computer&apos;s window</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="88"/>
        <source>本机所在调解室</source>
        <translation>This computer&apos;s mediation room</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="89"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="90"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="92"/>
        <source>叫号屏使用的显示器</source>
        <translation>Screen for the call board</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="94"/>
        <source>上次登录的用户名</source>
        <translation>Last user name</translation>
    </message>
    <message>
        <location filename="../../ui/settings.py" line="96"/>
        <source>刷新间隔（毫秒）</source>
        <translation>Refresh interval (ms)</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../../ui/shell.py" line="106"/>
        <source>{name}（建设中）</source>
        <translation>{name} (coming soon)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="107"/>
        <source>此工作台将在后续版本中提供。</source>
        <translation>This workspace will come in a later version.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="112"/>
        <source>{name}暂不可用</source>
        <translation>{name} is not available</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="113"/>
        <source>本程序未包含此工作台（{module}）。</source>
        <translation>This installation does not include this workspace ({module}).</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="119"/>
        <source>{name}无法打开</source>
        <translation>{name} could not be opened</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="120"/>
        <source>打开工作台时出错，详情已记录在日志中。</source>
        <translation>The workspace failed to open. The details are in the log.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="125"/>
        <source>{number}号窗口 · {name}</source>
        <translation>Window {number} · {name}</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../ui/app.py" line="76"/>
        <source>命令行参数有误</source>
        <translation>Invalid command-line arguments</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="106"/>
        <source>缺少中文字体</source>
        <translation>No Chinese font</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="107"/>
        <source>本机没有能显示中文的字体，程序无法正常显示。请安装中文字体后再启动，例如在 Debian / Ubuntu 上执行：sudo apt install {package}</source>
        <translation>This computer has no font for Chinese text, so the program cannot display properly. Install a Chinese font and start again, e.g. on Debian / Ubuntu: sudo apt install {package}</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="136"/>
        <source>本机默认数据库</source>
        <translation>this computer&apos;s default database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="144"/>
        <source>无法使用此数据库</source>
        <translation>This database cannot be used</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="148"/>
        <location filename="../../ui/app.py" line="263"/>
        <source>无法连接数据库</source>
        <translation>Cannot connect to the database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="149"/>
        <source>无法打开数据库 {where}。请检查网络连接和数据库地址（系统 → 设置，或命令行参数 --db），或联系管理员。</source>
        <translation>Cannot open the database {where}. Check the network and the database address (System → Settings, or the --db option), or contact the administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="154"/>
        <source>数据库地址有误</source>
        <translation>Invalid database address</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="155"/>
        <source>数据库地址“{url}”格式不正确。SQLite 请填写文件路径，PostgreSQL 请填写 postgresql://用户名:密码@主机/数据库名。</source>
        <translation>The database address &quot;{url}&quot; is not valid. For SQLite give a file path, for PostgreSQL postgresql://user:password@host/database.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="160"/>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="161"/>
        <source>打开数据库 {where} 时出错（{error}）。详情已记录在日志中。</source>
        <translation>Opening the database {where} failed ({error}). The details are in the log.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="183"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="217"/>
        <source>首次运行：正在创建示范中心（服务项目、窗口、工作人员和近30天的办理记录），请稍候…</source>
        <translation>First start: creating the demo centre (services, windows, staff and the last 30 days of visits), please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="222"/>
        <source>无法创建示范中心</source>
        <translation>Cannot create the demo centre</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="223"/>
        <source>首次运行时创建示范中心失败，详情已记录在日志中。可以用 hall-admin demo 命令重试。</source>
        <translation>Creating the demo centre at first start failed. The details are in the log. Try again with the command hall-admin demo.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="236"/>
        <source>{number}号窗口 {name}（{code}）</source>
        <translation>window {number} {name} ({code})</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="237"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="238"/>
        <source>没有这个窗口</source>
        <translation>No such window</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="239"/>
        <source>本中心没有代码或编号为“{window}”的窗口。可用的窗口：{list}</source>
        <translation>This centre has no window with code or number &quot;{window}&quot;. Windows: {list}</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="366"/>
        <source>叫号屏不可用</source>
        <translation>Call board not available</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="367"/>
        <source>本程序未包含叫号屏模块，无法以 --board 方式启动。</source>
        <translation>This installation does not include the call board, so --board cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="422"/>
        <source>程序无法启动</source>
        <translation>The program cannot start</translation>
    </message>
</context>
<context>
    <name>Workspaces</name>
    <message>
        <location filename="../../ui/shell.py" line="55"/>
        <source>导引台</source>
        <extracomment>Role -&gt; workspace, in the order the switcher lists them.</extracomment>
        <translation>Front desk</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="57"/>
        <source>窗口受理</source>
        <translation>Service window</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="59"/>
        <source>调解员工作台</source>
        <translation>Mediator&apos;s workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="60"/>
        <source>仲裁书记员工作台</source>
        <translation>Arbitration clerk&apos;s workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="61"/>
        <source>主任工作台</source>
        <translation>Director&apos;s workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="62"/>
        <source>系统管理工作台</source>
        <translation>Administration</translation>
    </message>
</context>
<context>
    <name>WorkstationDialog</name>
    <message>
        <location filename="../../ui/shell.py" line="137"/>
        <source>本机设置</source>
        <translation>This computer&apos;s settings</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="154"/>
        <source>（每次打印时选择）</source>
        <translation>(choose when printing)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="162"/>
        <source>正在读取本中心的窗口和调解室…</source>
        <translation>Reading the centre&apos;s windows and rooms…</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="164"/>
        <source>界面语言在重新启动程序后生效。</source>
        <translation>A new language takes effect when the program is restarted.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="168"/>
        <source>本机所在窗口(&amp;W)：</source>
        <translation>This computer&apos;s &amp;window:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="169"/>
        <source>本机所在调解室(&amp;R)：</source>
        <translation>This computer&apos;s mediation &amp;room:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="170"/>
        <source>打印机(&amp;P)：</source>
        <translation>&amp;Printer:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="171"/>
        <source>界面语言(&amp;L)：</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="189"/>
        <source>（本机不是服务窗口）</source>
        <translation>(not a service window)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="192"/>
        <source>（本机不在调解室）</source>
        <translation>(not in a mediation room)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="198"/>
        <source>{code}（本中心已无此项）</source>
        <translation>{code} (no longer in this centre)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="206"/>
        <source>无法读取窗口列表，请稍后再试。</source>
        <translation>Cannot read the list of windows; please try again later.</translation>
    </message>
</context>
</TS>
