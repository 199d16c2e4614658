<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>ActionType</name>
    <message>
        <source>收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>补正材料</source>
        <translation>Materials amended</translation>
    </message>
    <message>
        <source>受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>一次性告知</source>
        <translation>Missing materials notified</translation>
    </message>
    <message>
        <source>开始审查</source>
        <translation>Review started</translation>
    </message>
    <message>
        <source>上报</source>
        <translation>Forwarded</translation>
    </message>
    <message>
        <source>上级意见</source>
        <translation>Opinion from above</translation>
    </message>
    <message>
        <source>中止计时</source>
        <translation>Clock suspended</translation>
    </message>
    <message>
        <source>恢复计时</source>
        <translation>Clock resumed</translation>
    </message>
    <message>
        <source>作出决定</source>
        <translation>Decided</translation>
    </message>
    <message>
        <source>出件</source>
        <translation>Result issued</translation>
    </message>
    <message>
        <source>送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>撤回</source>
        <translation>Withdrawn</translation>
    </message>
    <message>
        <source>出具通知书</source>
        <translation>Notice issued</translation>
    </message>
</context>
<context>
    <name>CameraDialog</name>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>CameraPreview</name>
    <message>
        <source>重试</source>
        <extracomment>Enough for placing a sheet; more would only load the camera&apos;s USB link and the CPU. a new frame is on screen (for the tests and the bench) frames shown since the camera was opened the message shown in the error state</extracomment>
        <translation>Retry</translation>
    </message>
    <message>
        <source>拍摄</source>
        <translation>Capture</translation>
    </message>
    <message>
        <source>正在连接高拍仪…</source>
        <translation>Connecting to the document camera…</translation>
    </message>
    <message>
        <source>高拍仪出现意外错误，请点击重试</source>
        <translation>The document camera failed unexpectedly. Click Retry.</translation>
    </message>
</context>
<context>
    <name>CaseDetailDialog</name>
    <message>
        <source>办件详情 — {case_no}</source>
        <translation>Case details — {case_no}</translation>
    </message>
    <message>
        <source>受理编号：</source>
        <translation>Case No.:</translation>
    </message>
    <message>
        <source>事项：</source>
        <translation>Service item:</translation>
    </message>
    <message>
        <source>申请人：</source>
        <translation>Applicant:</translation>
    </message>
    <message>
        <source>联系电话：</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>收件时间：</source>
        <translation>Received:</translation>
    </message>
    <message>
        <source>办结时限：</source>
        <translation>Due:</translation>
    </message>
    <message>
        <source>需补齐材料：</source>
        <translation>Missing materials:</translation>
    </message>
    <message>
        <source>理由：</source>
        <translation>Reason:</translation>
    </message>
    <message>
        <source>材料名称</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>页数</source>
        <translation>Pages</translation>
    </message>
    <message>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>经办人</source>
        <translation>Clerk</translation>
    </message>
    <message>
        <source>电子材料</source>
        <translation>Electronic materials</translation>
    </message>
    <message>
        <source>办理过程</source>
        <translation>History</translation>
    </message>
    <message>
        <source>上级意见</source>
        <translation>Opinions from higher units</translation>
    </message>
    <message>
        <source>单位</source>
        <translation>Unit</translation>
    </message>
    <message>
        <source>意见</source>
        <translation>Opinion</translation>
    </message>
    <message>
        <source>说明</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <source>未开始计时</source>
        <translation>Clock not started</translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
</context>
<context>
    <name>CaseTableModel</name>
    <message>
        <source>受理编号</source>
        <extracomment>``ids -&gt; rows by id`` (``queries.case_rows`` bound to a context); ids it omits show empty.</extracomment>
        <translation>Case No.</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>事项</source>
        <translation>Service item</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>收件时间</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>办结时限</source>
        <translation>Due</translation>
    </message>
    <message>
        <source>时限状态</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <source>（暂定）</source>
        <translation> (provisional)</translation>
    </message>
    <message>
        <source>该年度的节假日安排尚未公布，暂按周一至周五计算</source>
        <translation>The public holidays of that year are not known yet; counted Monday to Friday for now</translation>
    </message>
    <message>
        <source>未在计时（尚未受理、已中止计时或已办结）</source>
        <translation>Clock not running (not accepted yet, suspended or closed)</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
    <message>
        <source>程序遇到了内部错误（不是您的操作问题），错误已记录到日志。
请点击「复制错误信息」，发送给技术支持。已保存的办件不受影响。</source>
        <translation>The program hit an internal error (not something you did wrong); it has been logged.
Please click “Copy error details” and send them to technical support. Saved cases are not affected.</translation>
    </message>
    <message>
        <source>复制错误信息</source>
        <translation>Copy error details</translation>
    </message>
</context>
<context>
    <name>DevicesPage</name>
    <message>
        <source>类型</source>
        <extracomment>While the page is shown it looks again this often, so a device plugged in (or pulled) shows up without the clerk pressing 刷新. The list was (re)loaded. A test or a choice finished; its text is in :attr:`result`. the preview opened by the last camera test (for the tests)</extracomment>
        <translation>Type</translation>
    </message>
    <message>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>使用中</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>设备标识</source>
        <translation>Device ID</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>测试所选设备</source>
        <translation>Test selected device</translation>
    </message>
    <message>
        <source>使用此设备</source>
        <translation>Use this device</translation>
    </message>
    <message>
        <source>选择一台设备后可点击「测试所选设备」。</source>
        <translation>Select a device, then click “Test selected device”.</translation>
    </message>
    <message>
        <source>正在查找设备…</source>
        <translation>Looking for devices…</translation>
    </message>
    <message>
        <source>正在测试“{label}”…</source>
        <translation>Testing “{label}”…</translation>
    </message>
    <message>
        <source>高拍仪预览 — {label}</source>
        <translation>Document camera — {label}</translation>
    </message>
    <message>
        <source>已关闭预览。</source>
        <translation>Preview closed.</translation>
    </message>
    <message>
        <source>正在保存设置…</source>
        <translation>Saving the setting…</translation>
    </message>
    <message>
        <source>（模拟）</source>
        <translation> (simulated)</translation>
    </message>
    <message>
        <source>找到 {n} 台设备。</source>
        <translation>{n} device(s) found.</translation>
    </message>
    <message>
        <source>已设为使用的{kind}：{label}</source>
        <translation>Now using {label} as the {kind}.</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <source>收件</source>
        <extracomment>a page of the material in row ``row`` came out of the pipeline during a scan, making ``count`` pages (emitted from the worker thread: queued to the GUI thread) a step finished (card read, scan, intake); its outcome is in :attr:`message` the case was received: its case number</extracomment>
        <translation>Receive</translation>
    </message>
    <message>
        <source>读身份证</source>
        <extracomment>each material&apos;s pages, already through the pipeline (intake does not process them again)</extracomment>
        <translation>Read ID card</translation>
    </message>
    <message>
        <source>事项：</source>
        <translation>Item:</translation>
    </message>
    <message>
        <source>申请人：</source>
        <translation>Applicant:</translation>
    </message>
    <message>
        <source>公民身份号码：</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <source>联系电话：</source>
        <translation>Phone:</translation>
    </message>
    <message>
        <source>住址：</source>
        <translation>Address:</translation>
    </message>
    <message>
        <source>材料</source>
        <translation>Material</translation>
    </message>
    <message>
        <source>必需</source>
        <translation>Required</translation>
    </message>
    <message>
        <source>已扫描页数</source>
        <translation>Pages scanned</translation>
    </message>
    <message>
        <source>扫描所选材料</source>
        <translation>Scan selected material</translation>
    </message>
    <message>
        <source>清空所选材料</source>
        <translation>Clear selected material</translation>
    </message>
    <message>
        <source>页面有质量问题仍要收件时，在此注明理由</source>
        <translation>To receive pages with quality problems anyway, give the reason here</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>正在读取身份证…</source>
        <translation>Reading the ID card…</translation>
    </message>
    <message>
        <source>请先在列表中选择要扫描的材料</source>
        <translation>Select the material to scan in the list first</translation>
    </message>
    <message>
        <source>正在扫描“{name}”…</source>
        <translation>Scanning “{name}”…</translation>
    </message>
    <message>
        <source>正在收件…</source>
        <translation>Receiving…</translation>
    </message>
    <message>
        <source>已读取身份证：{name}</source>
        <translation>ID card read: {name}</translation>
    </message>
    <message>
        <source>正在扫描“{name}”：第 {n} 页</source>
        <translation>Scanning “{name}”: page {n}</translation>
    </message>
    <message>
        <source>“{name}”已扫描 {n} 页</source>
        <translation>“{name}”: {n} page(s) scanned</translation>
    </message>
    <message>
        <source>已收件，受理编号 {case_no}</source>
        <translation>Received, case number {case_no}</translation>
    </message>
</context>
<context>
    <name>Light</name>
    <message>
        <source>正常</source>
        <translation>On time</translation>
    </message>
    <message>
        <source>临近</source>
        <translation>Due soon</translation>
    </message>
    <message>
        <source>超期</source>
        <translation>Overdue</translation>
    </message>
</context>
<context>
    <name>LockPanel</name>
    <message>
        <source>窗口已锁定</source>
        <extracomment>the password typed to unlock</extracomment>
        <translation>Window locked</translation>
    </message>
    <message>
        <source>为保护申请人的个人信息，窗口已锁定。正在办理的收件不会丢失，输入口令即可继续。</source>
        <translation>The window was locked to protect applicants&apos; personal data. Work in progress is kept: enter your password to continue.</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>当前登录：{person}</source>
        <translation>Signed in: {person}</translation>
    </message>
    <message>
        <source>正在验证…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>窗口 — 政务服务受理</source>
        <extracomment>locking, unlocking, switching user; the tabs are covered while locked the intake dialog last opened (for the tests)</extracomment>
        <translation>Chuangkou — Government service counter</translation>
    </message>
    <message>
        <source>按受理编号、申请人姓名或事项名称搜索</source>
        <extracomment>A list of ids is in the table (after start-up, a search or a filter change). The status bar&apos;s 临近/超期 counts match the shown list. Another person signed in: the new :class:`AppContext`, for every part that holds one. contexts opened on a switch of user (a store of their own): closed by release_contexts</extracomment>
        <translation>Search by case number, applicant name or service item</translation>
    </message>
    <message>
        <source>全部状态</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <source>收件</source>
        <translation>Receive</translation>
    </message>
    <message>
        <source>新建办件：读身份证、扫描材料、收件（Ctrl+N）</source>
        <translation>New case: read the ID card, scan the materials, receive (Ctrl+N)</translation>
    </message>
    <message>
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <source>状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>办件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <source>设备</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>在线登录</source>
        <translation>signed in online</translation>
    </message>
    <message>
        <source>离线登录</source>
        <translation>signed in offline</translation>
    </message>
    <message>
        <source>{person}· {how}</source>
        <translation>{person} · {how}</translation>
    </message>
    <message>
        <source>｜</source>
        <translation> | </translation>
    </message>
    <message>
        <source>共 {count} 件办件</source>
        <translation>{count} cases</translation>
    </message>
    <message>
        <source>时限统计中…</source>
        <translation>counting deadlines…</translation>
    </message>
    <message>
        <source>临近 {count} 件</source>
        <translation>{count} due soon</translation>
    </message>
    <message>
        <source>超期 {count} 件</source>
        <translation>{count} overdue</translation>
    </message>
</context>
<context>
    <name>NoticeSignDialog</name>
    <message>
        <source>签名确认</source>
        <translation>Signature</translation>
    </message>
    <message>
        <source>受送达人</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <source>请{who}在下方签名，确认收到{kind}（受理编号 {case_no}）</source>
        <translation>{who}: please sign below to confirm receipt of the {kind} (case no. {case_no})</translation>
    </message>
</context>
<context>
    <name>Role</name>
    <message>
        <source>窗口受理</source>
        <translation>Window clerk</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Reviewer</translation>
    </message>
    <message>
        <source>审批</source>
        <translation>Approver</translation>
    </message>
    <message>
        <source>效能监察</source>
        <translation>Supervisor</translation>
    </message>
    <message>
        <source>档案管理</source>
        <translation>Archivist</translation>
    </message>
    <message>
        <source>单位管理员</source>
        <translation>Unit administrator</translation>
    </message>
    <message>
        <source>{name}（{role}）</source>
        <translation>{name} ({role})</translation>
    </message>
</context>
<context>
    <name>SessionGuard</name>
    <message>
        <source>锁定</source>
        <extracomment>True when the window locked (personal data hidden), False when it unlocked another person signed in at the switch of user: their :class:`~app.services.signin.Unlocked`</extracomment>
        <translation>Lock</translation>
    </message>
    <message>
        <source>离开窗口时锁定，以免他人看到申请人信息（Ctrl+L）</source>
        <translation>Lock the window when you step away, so nobody sees applicants&apos; data (Ctrl+L)</translation>
    </message>
    <message>
        <source>切换用户</source>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>换另一位工作人员登录，不必关闭窗口</source>
        <translation>Let another member of staff sign in without closing the window</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <source>切换用户</source>
        <extracomment>``(user, password, prefer_online) -&gt; Unlocked``: :func:`app.services.signin.sign_in` on one data folder (SignInRefused, a UserError, when the answer is no). Passed in, so the demo can keep its throwaway platform&apos;s tokens in memory. the password was right: the :class:`~app.services.signin.Unlocked` (then the dialog closes) a sign-in was refused; its words are in :attr:`message`</extracomment>
        <translation>Switch user</translation>
    </message>
    <message>
        <source>窗口 — 登录</source>
        <translation>Chuangkou — Sign in</translation>
    </message>
    <message>
        <source>请换人登录</source>
        <extracomment>the sign-in that succeeded (None until then)</extracomment>
        <translation>Next person, please sign in</translation>
    </message>
    <message>
        <source>政务服务受理 — 请登录</source>
        <translation>Government service counter — please sign in</translation>
    </message>
    <message>
        <source>{name}（{user}）</source>
        <translation>{name} ({user})</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>口令</source>
        <translation>Password</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>用户名：</source>
        <translation>User name:</translation>
    </message>
    <message>
        <source>口令：</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
</context>
<context>
    <name>SignatureCanvas</name>
    <message>
        <source>签名区</source>
        <extracomment>a stroke began, grew or the canvas was cleared</extracomment>
        <translation>Signature area</translation>
    </message>
    <message>
        <source>请在此处签名</source>
        <translation>Please sign here</translation>
    </message>
</context>
<context>
    <name>SignaturePadWidget</name>
    <message>
        <source>请在签名区签名</source>
        <extracomment>Screens whose reported physical dpi is outside this range are taken at their logical dpi (some monitors report no size, or a nonsensical one). check_signature&apos;s messages (NO_SIGNATURE, TOO_SHORT), so that lupdate offers them for translation.</extracomment>
        <translation>Please sign in the signature area</translation>
    </message>
    <message>
        <source>签名过短，请重新签名</source>
        <translation>The signature is too short. Please sign again.</translation>
    </message>
    <message>
        <source>清除</source>
        <translation>Clear</translation>
    </message>
    <message>
        <source>确认</source>
        <translation>Confirm</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source>已收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <source>待补齐材料</source>
        <translation>Awaiting materials</translation>
    </message>
    <message>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>审查中</source>
        <translation>In review</translation>
    </message>
    <message>
        <source>已上报</source>
        <translation>Forwarded</translation>
    </message>
    <message>
        <source>已中止计时</source>
        <translation>Suspended</translation>
    </message>
    <message>
        <source>准予</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>不予</source>
        <translation>Denied</translation>
    </message>
    <message>
        <source>不予受理</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <source>已出件</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>已送达</source>
        <translation>Delivered</translation>
    </message>
    <message>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
    <message>
        <source>已撤回</source>
        <translation>Withdrawn</translation>
    </message>
</context>
<context>
    <name>SyncStatusBar</name>
    <message>
        <source>离线工作（未设置市级平台）</source>
        <extracomment>the labels show the store&apos;s current sync state</extracomment>
        <translation>Working offline (no city platform set)</translation>
    </message>
    <message>
        <source>● 在线</source>
        <translation>● Online</translation>
    </message>
    <message>
        <source>○ 离线</source>
        <translation>○ Offline</translation>
    </message>
    <message>
        <source>尚未同步</source>
        <translation>Not synced yet</translation>
    </message>
    <message>
        <source>待上传 {cases} 件（{size}）</source>
        <translation>{cases} cases waiting ({size})</translation>
    </message>
    <message>
        <source>上次同步 {time}</source>
        <translation>Last sync {time}</translation>
    </message>
    <message>
        <source>从未同步成功</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>平台未接收 {n} 项操作（理由见办件）</source>
        <translation>The platform refused {n} action(s) (reasons on the cases)</translation>
    </message>
    <message>
        <source>{n} 项平台变更暂时无法处理，已暂存待重试</source>
        <translation>{n} change(s) from the platform could not be applied yet; kept to try again</translation>
    </message>
    <message>
        <source>上传</source>
        <translation>Uploading</translation>
    </message>
    <message>
        <source>下载</source>
        <translation>Downloading</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>窗口 — 无法启动</source>
        <translation>Chuangkou — cannot start</translation>
    </message>
</context>
<context>
    <name>messages</name>
    <message>
        <source>提示</source>
        <translation>Notice</translation>
    </message>
</context>
<context>
    <name>printing</name>
    <message>
        <source>打印预览 - {title}</source>
        <translation>Print preview - {title}</translation>
    </message>
</context>
</TS>
