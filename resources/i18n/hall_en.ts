<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AdminFields</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="226"/>
        <source>中心名称</source>
        <translation>Centre name</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="227"/>
        <source>中心简称</source>
        <translation>Short name</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="228"/>
        <source>中心地址</source>
        <translation>Centre address</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="229"/>
        <source>中心电话</source>
        <translation>Centre phone</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="230"/>
        <source>人民调解委员会名称</source>
        <translation>People&apos;s mediation committee</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="231"/>
        <source>人民调解委员会地址</source>
        <translation>Mediation committee address</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="232"/>
        <source>调解案号格式</source>
        <translation>Mediation case number format</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="233"/>
        <source>调解文书抬头</source>
        <translation>Mediation document heading</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="234"/>
        <source>调解委员会印章文字</source>
        <translation>Mediation committee seal text</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="235"/>
        <source>劳动人事争议仲裁委员会名称</source>
        <translation>Arbitration commission</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="236"/>
        <source>仲裁委员会地址</source>
        <translation>Arbitration commission address</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="237"/>
        <source>仲裁案号格式</source>
        <translation>Arbitration case number format</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="238"/>
        <source>仲裁收件编号格式</source>
        <translation>Arbitration receipt number format</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="239"/>
        <source>信访编号格式</source>
        <translation>Petition number format</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="240"/>
        <source>仲裁文书抬头</source>
        <translation>Arbitration document heading</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="241"/>
        <source>仲裁委员会印章文字</source>
        <translation>Arbitration commission seal text</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="242"/>
        <source>调解室</source>
        <translation>Mediation room</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="243"/>
        <source>心理咨询室</source>
        <translation>Counselling room</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="244"/>
        <source>仲裁庭</source>
        <translation>Tribunal</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="245"/>
        <source>媒体室</source>
        <translation>Media room</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="246"/>
        <source>会议室</source>
        <translation>Meeting room</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="247"/>
        <source>接待室</source>
        <translation>Reception room</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="248"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>AdminWorkspace</name>
    <message>
        <location filename="../../ui/centre/admin.py" line="30"/>
        <source>中心信息</source>
        <extracomment>key, navigation label, page class — in the order the list shows them.</extracomment>
        <translation>Centre information</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="31"/>
        <source>业务</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="32"/>
        <source>窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="33"/>
        <source>调解室</source>
        <translation>Mediation rooms</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="34"/>
        <source>人员与账户</source>
        <translation>Staff and accounts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="35"/>
        <source>取号关键词</source>
        <translation>Ticket keywords</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="36"/>
        <source>节假日安排</source>
        <translation>Public holidays</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="37"/>
        <source>金额参数</source>
        <translation>Amounts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="38"/>
        <source>期限计算方式</source>
        <translation>Period counting</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="39"/>
        <source>排队与预约</source>
        <translation>Queue &amp; bookings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="40"/>
        <source>配置导入导出</source>
        <translation>Import/export</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="41"/>
        <source>进度查询与通知</source>
        <translation>Status &amp; notices</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin.py" line="73"/>
        <source>系统管理</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="101"/>
        <location filename="../../ui/centre/admin_common.py" line="94"/>
        <location filename="../../ui/centre/admin_common.py" line="418"/>
        <source>启用</source>
        <translation>Activate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="103"/>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="105"/>
        <source>待改密码</source>
        <translation>Must change password</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="100"/>
        <location filename="../../ui/centre/admin_common.py" line="94"/>
        <location filename="../../ui/centre/admin_common.py" line="313"/>
        <location filename="../../ui/centre/admin_common.py" line="418"/>
        <source>停用</source>
        <translation>Deactivate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_common.py" line="312"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_common.py" line="355"/>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_common.py" line="358"/>
        <source>已启用</source>
        <translation>Active</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_common.py" line="358"/>
        <source>已停用</source>
        <translation>Deactivated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_common.py" line="362"/>
        <source>共 {n} 项，其中 {a} 项启用</source>
        <translation>{n} in total, {a} active</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="324"/>
        <source>{day}的时段“{span}”应写成 开始-结束，如 08:30-12:00</source>
        <translation>The hours &quot;{span}&quot; on {day} should be written as start-end, e.g. 08:30-12:00</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="339"/>
        <source>每年 {start} 至 {end}</source>
        <translation>Every year {start} to {end}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="342"/>
        <source>全年</source>
        <translation>All year</translation>
    </message>
</context>
<context>
    <name>AgentDialog</name>
    <message>
        <location filename="../../ui/common/case_intake.py" line="298"/>
        <source>添加委托代理人</source>
        <translation>Add an authorised agent</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="307"/>
        <source>律师、近亲属、单位工作人员…</source>
        <translation>Lawyer, close relative, staff of the organisation…</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="312"/>
        <source>授权委托书的内容或摘要</source>
        <translation>Content or summary of the power of attorney</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="317"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="321"/>
        <source>被代理的当事人</source>
        <translation>Party represented</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="322"/>
        <source>代理人姓名</source>
        <translation>Agent&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="323"/>
        <source>公民身份号码</source>
        <translation>Citizen ID number</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="324"/>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="325"/>
        <source>与当事人关系</source>
        <translation>Relationship to the party</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="326"/>
        <source>代理权限</source>
        <translation>Scope of authority</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="327"/>
        <source>授权委托</source>
        <translation>Power of attorney</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="336"/>
        <source>案件没有可以委托代理人的当事人</source>
        <translation>The case has no party who may appoint an agent</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="339"/>
        <source>请填写代理人的姓名</source>
        <translation>Please enter the agent&apos;s name</translation>
    </message>
</context>
<context>
    <name>AgreementState</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="123"/>
        <source>草稿</source>
        <translation>Draft</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="124"/>
        <source>签署中</source>
        <translation>Being signed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="125"/>
        <source>已生效</source>
        <translation>In effect</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="126"/>
        <source>已被更正版本取代</source>
        <translation>Superseded by a corrected version</translation>
    </message>
</context>
<context>
    <name>AgreementTab</name>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="99"/>
        <source>调解协议已不存在</source>
        <translation>The mediation agreement no longer exists</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="101"/>
        <source>口头协议不制作调解协议书，协议内容记入调解笔录（人民调解法第二十八条）</source>
        <translation>An oral agreement has no written agreement; its content is recorded in the mediation minutes (People&apos;s Mediation Law, Article 28)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="103"/>
        <source>添加协议条款后显示预览</source>
        <translation>Add terms to see a preview</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="105"/>
        <source>案件至少要有两方当事人才能制作调解协议书</source>
        <translation>A case needs at least two parties before a mediation agreement can be drawn up</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="127"/>
        <source>本机缺少 Qt PDF 组件，无法预览</source>
        <translation>The Qt PDF component is missing on this computer, so there is no preview</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="135"/>
        <source>协议书文件无法读取</source>
        <translation>The agreement file cannot be read</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="255"/>
        <location filename="../../ui/mediation/agreement.py" line="531"/>
        <source>调解协议</source>
        <translation>Mediation agreement</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="260"/>
        <source>起草调解协议</source>
        <translation>Draft mediation agreement</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="263"/>
        <source>记录为口头协议</source>
        <translation>Record as oral agreement</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="265"/>
        <source>当事人认为无需制作调解协议书的，可以采取口头协议方式，由人民调解员记录协议内容，自达成之日起生效（人民调解法第二十八条、第三十条）</source>
        <translation>If the parties consider a written mediation agreement unnecessary, they may agree orally; the people&apos;s mediator records the content of the agreement, which takes effect on the day it is reached (People&apos;s Mediation Law, Articles 28 and 30)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="275"/>
        <source>各方当事人的责任（人民调解法第二十九条第二项）</source>
        <translation>Responsibilities of each party (People&apos;s Mediation Law, Article 29, item 2)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="277"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="293"/>
        <source>条款内容，如：支付拖欠的2026年9月至10月工资</source>
        <translation>Content of the term, e.g. pay the outstanding wages for September to October 2026</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="297"/>
        <source>金额（元），可不填</source>
        <translation>Amount (yuan), optional</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="307"/>
        <source>履行期限</source>
        <translation>Performance deadline</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="315"/>
        <source>添加条款</source>
        <translation>Add term</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="318"/>
        <source>删除所选条款</source>
        <translation>Delete selected term</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="324"/>
        <location filename="../../ui/mediation/agreement.py" line="467"/>
        <source>义务人</source>
        <translation>Obligor</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="326"/>
        <location filename="../../ui/mediation/agreement.py" line="468"/>
        <source>权利人</source>
        <translation>Obligee</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="328"/>
        <location filename="../../ui/mediation/agreement.py" line="469"/>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="330"/>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="333"/>
        <location filename="../../ui/mediation/agreement.py" line="472"/>
        <location filename="../../ui/mediation/agreement.py" line="490"/>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="343"/>
        <source>（按默认方式）</source>
        <translation>(default method)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="358"/>
        <location filename="../../ui/mediation/agreement.py" line="601"/>
        <source>签署</source>
        <translation>Sign</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="360"/>
        <source>签署方式</source>
        <translation>Signing method</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="365"/>
        <source>打印…  Ctrl+P</source>
        <translation>Print…  Ctrl+P</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="441"/>
        <source>协议书预览</source>
        <translation>Agreement preview</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="397"/>
        <source>更正理由，如：第1条金额笔误</source>
        <translation>Reason for the correction, e.g. typo in the amount of term 1</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="398"/>
        <source>更正协议</source>
        <translation>Correct agreement</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="400"/>
        <source>更正将制作新版本（复制现有条款），新版本签署生效后原版本被取代</source>
        <translation>A correction makes a new version (copying the existing terms); once the new version is signed and in effect, it supersedes the original</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="419"/>
        <source>回访情况（可不填）</source>
        <translation>Follow-up visit notes (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="420"/>
        <source>记录回访</source>
        <translation>Record follow-up visit</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="442"/>
        <source>协议版本</source>
        <translation>Agreement versions</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="443"/>
        <source>回访记录</source>
        <translation>Follow-up visits</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="466"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="470"/>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="471"/>
        <source>大写</source>
        <translation>In words</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="473"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="478"/>
        <location filename="../../ui/mediation/agreement.py" line="489"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="478"/>
        <location filename="../../ui/mediation/agreement.py" line="499"/>
        <source>第{n}版</source>
        <translation>Version {n}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="480"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="480"/>
        <source>协议书</source>
        <translation>Written agreement</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="481"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="482"/>
        <source>生效日期</source>
        <translation>Effective date</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="483"/>
        <source>更正理由</source>
        <translation>Reason for correction</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="488"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="491"/>
        <source>履行情况</source>
        <translation>Performance</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="492"/>
        <source>回访人</source>
        <translation>Visited by</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="493"/>
        <source>情况</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="523"/>
        <source>（不指定）</source>
        <translation>(not specified)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="535"/>
        <source>本案还没有调解协议。调解中达成一致后，起草协议并逐条添加条款。</source>
        <translation>This case has no mediation agreement yet. Once the parties agree in mediation, draft the agreement and add its terms one by one.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="537"/>
        <source>案件进入调解后可起草调解协议。</source>
        <translation>A mediation agreement can be drafted once the case is in mediation.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="480"/>
        <location filename="../../ui/mediation/agreement.py" line="539"/>
        <source>口头协议</source>
        <translation>Oral agreement</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="539"/>
        <source>调解协议书</source>
        <translation>People&apos;s mediation agreement</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="540"/>
        <source>{kind} 第{n}版</source>
        <translation>{kind}, version {n}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="548"/>
        <source>已于 {day} 生效，一式{n}份。生效之日起三十日内，双方可共同申请司法确认（人民调解法第三十三条）。</source>
        <translation>In effect since {day}, in {n} copies. Within thirty days of taking effect, the parties may jointly apply for judicial confirmation (People&apos;s Mediation Law, Article 33).</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="551"/>
        <source>口头协议已于 {day} 生效（人民调解法第三十条）。</source>
        <translation>Oral agreement in effect since {day} (People&apos;s Mediation Law, Article 30).</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="554"/>
        <source>签署中：文本已冻结，待全部签署后生效。</source>
        <translation>Being signed: the text is frozen and takes effect when all have signed.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="556"/>
        <source>草稿：可增删条款；第一次签署后文本冻结。</source>
        <translation>Draft: terms can be added or removed; the text is frozen at the first signature.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="558"/>
        <source>已被更正版本取代。</source>
        <translation>Superseded by a corrected version.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="582"/>
        <source>人民调解员 {name}</source>
        <translation>People&apos;s mediator {name}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="583"/>
        <source>人民调解委员会印章</source>
        <translation>Seal of the People&apos;s Mediation Committee</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="597"/>
        <source>✔ 已签署（{method}，{time}）</source>
        <translation>✔ Signed ({method}, {time})</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="598"/>
        <source>未签署</source>
        <translation>Not signed</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="633"/>
        <source>调解协议生效后，可记录回访及履行情况（人民调解法第三十一条）。</source>
        <translation>Once the mediation agreement is in effect, follow-up visits and performance can be recorded (People&apos;s Mediation Law, Article 31).</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="635"/>
        <source>回访第{n}版协议的履行情况；记为“已履行”时，协议条款的履行期限一并记为已履行。</source>
        <translation>Follow-up on the performance of version {n} of the agreement; when recorded as &quot;performed&quot;, the performance deadlines of its terms are also recorded as performed.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="641"/>
        <source>大写金额随输入显示</source>
        <translation>The amount in words appears as you type</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="663"/>
        <source>已起草调解协议，请添加协议条款</source>
        <translation>Mediation agreement drafted; please add its terms</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="668"/>
        <source>请填写条款内容</source>
        <translation>Please enter the content of the term</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="694"/>
        <source>已添加第{n}条</source>
        <translation>Term {n} added</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="707"/>
        <source>已删除第{n}条</source>
        <translation>Term {n} deleted</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="715"/>
        <source>已保存各方责任</source>
        <translation>Responsibilities of the parties saved</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="725"/>
        <source>全部签署完毕，调解协议已生效</source>
        <translation>All have signed; the mediation agreement is in effect</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="726"/>
        <source>已记录签署，尚缺{n}处签署</source>
        <translation>Signature recorded; {n} signature(s) still missing</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="738"/>
        <source>已记录口头协议，自达成之日起生效</source>
        <translation>Oral agreement recorded; it takes effect from the day it was reached</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="746"/>
        <source>请填写更正理由</source>
        <translation>Please enter the reason for the correction</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="752"/>
        <source>已制作更正版本第{n}版，请修改条款后重新签署</source>
        <translation>Corrected version {n} made; please amend the terms and sign again</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="767"/>
        <source>已记录回访：{p}</source>
        <translation>Follow-up visit recorded: {p}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="781"/>
        <source>起草协议后显示预览</source>
        <translation>Draft an agreement to see a preview</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="786"/>
        <source>正在生成预览…</source>
        <translation>Generating preview…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="800"/>
        <source>共{n}页</source>
        <translation>{n} page(s)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="802"/>
        <source>，预览前{k}页</source>
        <translation>, previewing the first {k}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="809"/>
        <source>预览失败：{reason}</source>
        <translation>Preview failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="850"/>
        <source>协议书预览尚未生成，暂不能打印</source>
        <translation>The agreement preview is not ready yet, so it cannot be printed</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="853"/>
        <source>调解协议书-{number}-第{n}版</source>
        <translation>Mediation agreement-{number}-version {n}</translation>
    </message>
</context>
<context>
    <name>AmountsPage</name>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="607"/>
        <source>金额参数</source>
        <translation>Amounts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="608"/>
        <source>按当地人力资源和社会保障部门公布的最新标准填写，调整后立即用于新的计算。</source>
        <translation>Enter the latest standards published by the local human resources and social security department. Changes apply to new calculations at once.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="610"/>
        <source>法定金额标准</source>
        <translation>Statutory amounts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="629"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="652"/>
        <source>{label}不能为空</source>
        <translation>{label} cannot be empty</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="666"/>
        <source>金额参数已保存。</source>
        <translation>Amounts saved.</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="195"/>
        <source>当地月最低工资标准</source>
        <translation>Local monthly minimum wage</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="196"/>
        <source>元/月</source>
        <translation>yuan/month</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="197"/>
        <source>用于判断小额劳动争议（一裁终局）等金额标准。</source>
        <translation>Used for amount thresholds such as that of small labour disputes (arbitration award final).</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="198"/>
        <source>全省上年度职工年平均工资</source>
        <translation>Provincial average annual wage of employees in the previous year</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="199"/>
        <source>元/年</source>
        <translation>yuan/year</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="200"/>
        <source>用于计算经济补偿的封顶基数等。</source>
        <translation>Used for the cap on the base of severance pay, among others.</translation>
    </message>
</context>
<context>
    <name>Announcer</name>
    <message>
        <location filename="../../ui/board/announcer.py" line="42"/>
        <source>语音播报不可用（{reason}），仅显示文字</source>
        <extracomment>Announcements waiting beyond this many: the oldest waiting one is dropped (in a rush the board still shows every call; the voice catches up). Engines in the order we prefer them; Qt&apos;s &quot;mock&quot; engine is for Qt&apos;s own tests.</extracomment>
        <translation>Voice announcements are not available ({reason}); text only</translation>
    </message>
    <message>
        <location filename="../../ui/board/announcer.py" line="60"/>
        <location filename="../../ui/board/announcer.py" line="176"/>
        <location filename="../../ui/board/announcer.py" line="186"/>
        <location filename="../../ui/board/announcer.py" line="320"/>
        <source>未安装语音引擎</source>
        <extracomment>espeak-ng&apos;s Mandarin voices, best first (&quot;latin as Pinyin&quot; reads 零 as líng; plain ``cmn`` reads it through English). Words per minute: a little slower than espeak-ng&apos;s 175, a hall echoes.</extracomment>
        <translation>no speech engine installed</translation>
    </message>
    <message>
        <location filename="../../ui/board/announcer.py" line="191"/>
        <location filename="../../ui/board/announcer.py" line="594"/>
        <source>语音引擎无响应</source>
        <translation>the speech engine does not respond</translation>
    </message>
    <message>
        <location filename="../../ui/board/announcer.py" line="197"/>
        <source>语音引擎无法启动</source>
        <translation>the speech engine cannot start</translation>
    </message>
    <message>
        <location filename="../../ui/board/announcer.py" line="206"/>
        <location filename="../../ui/board/announcer.py" line="323"/>
        <source>未安装中文语音</source>
        <translation>no Chinese voice installed</translation>
    </message>
    <message>
        <location filename="../../ui/board/announcer.py" line="253"/>
        <location filename="../../ui/board/announcer.py" line="358"/>
        <location filename="../../ui/board/announcer.py" line="367"/>
        <source>语音引擎出错</source>
        <translation>speech engine error</translation>
    </message>
    <message>
        <location filename="../../ui/board/announcer.py" line="327"/>
        <location filename="../../ui/board/announcer.py" line="331"/>
        <source>没有音频输出设备</source>
        <translation>No audio output device</translation>
    </message>
</context>
<context>
    <name>AppointmentsPanel</name>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="154"/>
        <source>返回取号（Esc）</source>
        <extracomment>After a sweep marked bookings missed (how many).</extracomment>
        <translation>Back to tickets (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="160"/>
        <source>预约登记</source>
        <translation>Book appointment</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="172"/>
        <location filename="../../ui/frontdesk/appointments.py" line="238"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="175"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="183"/>
        <location filename="../../ui/frontdesk/appointments.py" line="237"/>
        <source>时段</source>
        <translation>Time slot</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="184"/>
        <source>已约</source>
        <translation>Booked</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="185"/>
        <source>余位</source>
        <translation>Free</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="186"/>
        <location filename="../../ui/frontdesk/appointments.py" line="241"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="186"/>
        <source>可约</source>
        <translation>Available</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="187"/>
        <source>已约满</source>
        <translation>Fully booked</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="187"/>
        <source>不可约</source>
        <translation>Not bookable</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="195"/>
        <source>预约人姓名</source>
        <translation>Name of the person booking</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="198"/>
        <source>手机号或固定电话</source>
        <translation>Mobile or landline</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="202"/>
        <source>备注（可不填）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="204"/>
        <source>现场预约</source>
        <translation>In person</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="205"/>
        <source>电话预约</source>
        <translation>By phone</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="206"/>
        <location filename="../../ui/frontdesk/appointments.py" line="239"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="208"/>
        <location filename="../../ui/frontdesk/appointments.py" line="240"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="210"/>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="212"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="214"/>
        <source>同意短信提醒（预约前两小时、签到后叫号临近时发到上面的手机）</source>
        <translation>Agrees to SMS reminders (to the mobile above)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="217"/>
        <source>预约所选时段</source>
        <translation>Book the selected slot</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="223"/>
        <source>预约签到</source>
        <translation>Appointment check-in</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="226"/>
        <source>按电话查今天的预约</source>
        <translation>Find today&apos;s appointments by phone</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="228"/>
        <source>查找</source>
        <translation>Find</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="230"/>
        <source>今日全部</source>
        <translation>All today</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="248"/>
        <source>签到取号</source>
        <translation>Check in and take a ticket</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="250"/>
        <source>取消预约</source>
        <translation>Cancel appointment</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="293"/>
        <source>操作未完成，请重试。</source>
        <translation>The operation was not completed; please try again.</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="354"/>
        <source>还没有开放预约的业务（在管理端设置预约时段）。</source>
        <translation>No service takes appointments yet (set the appointment slots in Administration).</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="378"/>
        <source>这一天不办理预约（休息日或不在开放时间）。</source>
        <translation>No appointments on this day (a rest day or outside opening hours).</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="381"/>
        <source>每 {m} 分钟一个时段，每个时段 {c} 人，可预约 {d} 天内；当天尚余 {f} 个位置。</source>
        <translation>One slot every {m} minutes, {c} people per slot, bookable up to {d} days ahead; {f} place(s) left that day.</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="396"/>
        <source>请先选择一个时段</source>
        <translation>Please choose a time slot first</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="400"/>
        <source>请填写预约人姓名</source>
        <translation>Please enter the name of the person booking</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="406"/>
        <source>预约需要联系电话</source>
        <translation>An appointment needs a contact phone number</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="425"/>
        <source>已预约：{name}（{phone}）{service} {slot}。请按时到场，提前 15 分钟内可签到。</source>
        <translation>Booked: {name} ({phone}) {service} {slot}. Please arrive on time; check-in opens 15 minutes before.</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="439"/>
        <source>请输入预约时留的电话</source>
        <translation>Enter the phone number given when booking</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="459"/>
        <source>找到 {n} 条今天的预约</source>
        <translation>{n} appointment(s) found today</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="461"/>
        <source>今天没有找到预约</source>
        <translation>No appointment found today</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="502"/>
        <source>前台取消</source>
        <translation>Cancelled at the front desk</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/appointments.py" line="506"/>
        <source>已取消 {name} 的预约（{slot}）</source>
        <translation>Appointment of {name} cancelled ({slot})</translation>
    </message>
</context>
<context>
    <name>ArbitrationState</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="250"/>
        <source>已收件</source>
        <translation>Received</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="251"/>
        <source>待补正</source>
        <translation>Awaiting correction</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="252"/>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="253"/>
        <source>不予受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="254"/>
        <source>已送达被申请人</source>
        <translation>Served on the respondent</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="255"/>
        <source>已答辩</source>
        <translation>Defence filed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="256"/>
        <source>仲裁庭已组成</source>
        <translation>Tribunal formed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="257"/>
        <source>已排期开庭</source>
        <translation>Hearing scheduled</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="258"/>
        <source>已开庭</source>
        <translation>Heard</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="259"/>
        <source>调解结案</source>
        <translation>Closed by mediation</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="260"/>
        <source>裁决结案</source>
        <translation>Closed by award</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="261"/>
        <source>缺席裁决</source>
        <translation>Award by default</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="262"/>
        <source>撤回申请</source>
        <translation>Application withdrawn</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="263"/>
        <source>视为撤回申请</source>
        <translation>Deemed withdrawn</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="264"/>
        <source>已归档</source>
        <translation>Archived</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <location filename="../../ui/centre/director.py" line="377"/>
        <source>本期间暂无数据</source>
        <translation>No data for this period</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="385"/>
        <source>未安装图表组件（PySide6-Addons），无法显示图表</source>
        <translation>The chart component (PySide6-Addons) is not installed, so charts cannot be shown</translation>
    </message>
</context>
<context>
    <name>CalendarHolidaysPage</name>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="81"/>
        <source>保存前会列出改变的日子；改为休息日的日子里的预约和期限一并列出。</source>
        <extracomment>After the changes of a save were listed (the dialog is open).</extracomment>
        <translation>Before saving, the days that change are listed; appointments and deadlines on days that become rest days are listed too.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="83"/>
        <source>逐日修改</source>
        <translation>Edit single days</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="90"/>
        <source>说明，如 停电检修（改为休息日时作为其名称）</source>
        <translation>Note, e.g. power maintenance (used as the name of a day made a rest day)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="91"/>
        <source>设为休息日</source>
        <translation>Make a rest day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="92"/>
        <source>设为工作日</source>
        <translation>Make a working day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="93"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="99"/>
        <location filename="../../ui/centre/admin_holidays.py" line="158"/>
        <source>把某一天设为休息日（如临时闭馆）或工作日（如调休上班），改动在保存前列出。</source>
        <translation>Make a single day a rest day (e.g. the hall closes) or a working day (e.g. a swapped working day); the changes are listed before saving.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="111"/>
        <source>以下为内置日历的 {year} 年安排，可逐日修改后保存；未修改的日子保持不变。</source>
        <translation>Below is the built-in calendar for {year}; change any day and save. Days not changed stay as they are.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="135"/>
        <source>日期应在 {year} 年内</source>
        <translation>The date must be in {year}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="146"/>
        <source>临时休息</source>
        <translation>Closed for the day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="149"/>
        <source>{day} 已设为{what}，保存后生效。</source>
        <translation>{day} set as {what}; takes effect when saved.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="150"/>
        <location filename="../../ui/centre/admin_holidays.py" line="163"/>
        <source>休息日</source>
        <translation>a rest day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="150"/>
        <location filename="../../ui/centre/admin_holidays.py" line="163"/>
        <source>工作日</source>
        <translation>a working day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="165"/>
        <source>本次逐日修改：</source>
        <translation>Single days changed:</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="172"/>
        <source>请先添加 {year} 年的放假日期</source>
        <translation>Please add the holidays of {year} first</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="181"/>
        <source>与现行日历相比没有变化，无需保存。</source>
        <translation>No change from the current calendar; nothing to save.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="196"/>
        <source>改为休息日的日子里有 {n} 个预约仍为“已预约”，请联系预约人：{ids}</source>
        <translation>{n} appointments on days that become rest days are still &quot;booked&quot;; please contact the visitors: {ids}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="200"/>
        <source>{n} 个期限的到期日已顺延重算：{items}</source>
        <translation>Due dates of {n} deadlines were moved and recomputed: {items}</translation>
    </message>
</context>
<context>
    <name>CallBoard</name>
    <message>
        <location filename="../../ui/board/callboard.py" line="142"/>
        <source>叫号屏</source>
        <extracomment>The board polls a little faster than a workstation: a call should be on the wall within a second of the window pressing 叫号. Fonts that draw Chinese well on a wall screen, best first (whatever the computer has; Qt falls back through the list). A board of one floor or area (``hall --board --area 二楼``) shows and says only the calls of that area&apos;s windows and counts only their services.</extracomment>
        <translation>Call board</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="201"/>
        <source>社会治理服务中心</source>
        <translation>Social Governance Service Centre</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="224"/>
        <source>正在呼叫</source>
        <translation>Now calling</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="234"/>
        <source>请留意叫号，耐心等候</source>
        <translation>Please listen for your number and wait patiently</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="251"/>
        <source>最近呼叫</source>
        <translation>Recent calls</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="287"/>
        <source>各业务等候人数</source>
        <translation>Waiting per service</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="307"/>
        <source>过号的群众请到综合受理窗口咨询 · 请保管好随身物品</source>
        <translation>If your number was missed, please ask at the general reception window · Please look after your belongings</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="489"/>
        <source>请 {number} 号</source>
        <translation>Number {number}</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="491"/>
        <source>（原 {was}）</source>
        <translation> (was {was})</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="493"/>
        <source>到 {n}号窗口</source>
        <translation>to Window {n}</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="497"/>
        <source>（{service}）</source>
        <translation>({service})</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="502"/>
        <source>（再次呼叫）</source>
        <translation>(second call)</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="514"/>
        <source>{n}号窗口</source>
        <translation>Window {n}</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="548"/>
        <source>{n} 人</source>
        <translation>{n}</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="550"/>
        <source>今日不办理</source>
        <translation>Not served today</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="558"/>
        <source>共 {n} 人等候</source>
        <translation>{n} waiting in total</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="583"/>
        <source>{date} 星期{wd} {time}</source>
        <translation>{date} {time}</translation>
    </message>
    <message>
        <location filename="../../ui/board/callboard.py" line="594"/>
        <source>与数据库的连接中断，正在重试…</source>
        <translation>Connection to the database lost, retrying…</translation>
    </message>
</context>
<context>
    <name>CallChosenDialog</name>
    <message>
        <location filename="../../ui/window/state.py" line="270"/>
        <source>紧急情况</source>
        <translation>Emergency</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="271"/>
        <source>当事人行动不便/身体不适</source>
        <translation>Party has limited mobility / feels unwell</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="272"/>
        <source>与正在办理的事项相关，一并办理</source>
        <translation>Related to the matter being handled; handled together</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="273"/>
        <source>领导交办</source>
        <translation>Assigned by the director</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="305"/>
        <source>叫指定号 {number}</source>
        <translation>Call {number} out of order</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="306"/>
        <source>不按顺序，现在叫 {number}（{service}）</source>
        <translation>Call {number} ({service}) now, out of order</translation>
    </message>
    <message>
        <source>必须填写原因（记入操作日志）</source>
        <translation type="vanished">A reason is required (recorded in the audit log)</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="307"/>
        <source>叫号</source>
        <translation>Call</translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="vanished">Cancel</translation>
    </message>
    <message>
        <source>原因</source>
        <translation type="vanished">Reason</translation>
    </message>
</context>
<context>
    <name>CallRatingPanel</name>
    <message>
        <location filename="../../ui/window/rating.py" line="233"/>
        <source>记录回访评价</source>
        <translation>Record a follow-up rating</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="238"/>
        <source>评价码</source>
        <translation>Rating code</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="244"/>
        <source>请群众读出排队号小票上的 6 位评价码（30 天内有效）。回访人：{caller}。不能记录自己办理的来访。</source>
        <translation>Ask the visitor to read out the 6-character rating code on their ticket (valid for 30 days). Caller: {caller}. You cannot record a visit you served.</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="257"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="259"/>
        <source>保存回访评价</source>
        <translation>Save follow-up rating</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="278"/>
        <source>已记录 {number} 的回访评价：{label}</source>
        <translation>Follow-up rating of {number} recorded: {label}</translation>
    </message>
</context>
<context>
    <name>CaseActions</name>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="276"/>
        <source>受理决定</source>
        <translation>Acceptance decision</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="277"/>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="282"/>
        <source>不予受理的理由</source>
        <translation>Reasons for not accepting</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="283"/>
        <source>不予受理</source>
        <translation>Do not accept</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="288"/>
        <location filename="../../ui/arbitration/actions.py" line="423"/>
        <location filename="../../ui/arbitration/actions.py" line="480"/>
        <source>理由</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="403"/>
        <source>延期开庭</source>
        <translation>Postpone hearing</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="372"/>
        <location filename="../../ui/arbitration/actions.py" line="393"/>
        <location filename="../../ui/arbitration/actions.py" line="408"/>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="293"/>
        <source>补正申请材料</source>
        <translation>Supplementing application materials</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="306"/>
        <source>每行一项：证据名称；来源（替换原有证据清单）</source>
        <translation>One item per line: evidence name; source (replaces the existing evidence list)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="307"/>
        <source>登记补正</source>
        <translation>Record supplement</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="312"/>
        <source>劳动者职业</source>
        <translation>Worker&apos;s occupation</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="313"/>
        <source>通讯地址</source>
        <translation>Postal address</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="314"/>
        <source>法定代表人职务</source>
        <translation>Legal representative&apos;s position</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="315"/>
        <source>证据和来源</source>
        <translation>Evidence and sources</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="320"/>
        <source>收到答辩书</source>
        <translation>Defence received</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="324"/>
        <location filename="../../ui/arbitration/actions.py" line="329"/>
        <source>答辩要点</source>
        <translation>Main points of the defence</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="325"/>
        <source>登记收到答辩书</source>
        <translation>Record defence received</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="334"/>
        <source>组成仲裁庭（第三十一条）</source>
        <translation>Form the tribunal (Art. 31)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="335"/>
        <source>独任仲裁（简易处理）</source>
        <translation>Sole arbitrator (simplified procedure)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="345"/>
        <source>事实清楚、权利义务关系明确、争议不大</source>
        <translation>Clear facts, clear rights and obligations, little dispute</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="346"/>
        <source>双方当事人同意简易处理</source>
        <translation>Both parties agree to the simplified procedure</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="347"/>
        <source>标的额不超过上年度职工年平均工资</source>
        <translation>Amount not above last year&apos;s average annual wage</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="348"/>
        <source>组成仲裁庭</source>
        <translation>Form the tribunal</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="354"/>
        <source>首席仲裁员 / 独任仲裁员</source>
        <translation>Presiding / sole arbitrator</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="355"/>
        <location filename="../../ui/arbitration/actions.py" line="356"/>
        <source>仲裁员</source>
        <translation>Arbitrators</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="357"/>
        <source>简易处理依据</source>
        <translation>Grounds for the simplified procedure</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="363"/>
        <source>仲裁员回避（第三十三条）</source>
        <translation>Recusal of an arbitrator (Art. 33)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="372"/>
        <location filename="../../ui/arbitration/actions.py" line="408"/>
        <source>被申请人</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="373"/>
        <source>仲裁员本人</source>
        <translation>By the arbitrator</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="375"/>
        <source>登记回避申请</source>
        <translation>Record recusal request</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="378"/>
        <source>回避申请成立</source>
        <translation>Recusal request granted</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="387"/>
        <source>作出回避决定</source>
        <translation>Decide on recusal</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="391"/>
        <source>被申请回避的仲裁员</source>
        <translation>Arbitrator challenged</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="392"/>
        <source>回避事由</source>
        <translation>Grounds for recusal</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="396"/>
        <source>决定人（仲裁委员会主任）</source>
        <translation>Decided by (chair of the commission)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="397"/>
        <source>决定理由</source>
        <translation>Reasons for the decision</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="398"/>
        <source>替换的仲裁员</source>
        <translation>Replacement arbitrator</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="409"/>
        <source>仲裁庭</source>
        <translation>Tribunal</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="417"/>
        <source>准许延期（另行通知）</source>
        <translation>Postponement granted (new date to be notified)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="421"/>
        <location filename="../../ui/arbitration/actions.py" line="446"/>
        <source>开庭</source>
        <translation>Hearing</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="422"/>
        <source>请求人</source>
        <translation>Requested by</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="424"/>
        <source>请求日期</source>
        <translation>Request date</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="429"/>
        <source>庭审笔录</source>
        <translation>Hearing record</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="436"/>
        <source>申请人到庭</source>
        <translation>Applicant present</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="438"/>
        <source>被申请人到庭</source>
        <translation>Respondent present</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="442"/>
        <source>保存庭审笔录</source>
        <translation>Save hearing record</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="447"/>
        <source>笔录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="453"/>
        <source>变更仲裁请求</source>
        <translation>Change of arbitration claims</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="455"/>
        <source>变更请求（审理期限重新计算）</source>
        <translation>Change claims (the hearing period is recalculated)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="468"/>
        <source>延长审理期限（十五日，限一次）</source>
        <translation>Extend the hearing period (fifteen days, once only)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="473"/>
        <source>延长审理期限</source>
        <translation>Extend hearing period</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="479"/>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="486"/>
        <source>结案</source>
        <translation>Close case</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="490"/>
        <source>制作仲裁调解书</source>
        <translation>Draw up arbitral mediation statement</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="493"/>
        <source>调解协议</source>
        <translation>Mediation agreement</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="497"/>
        <source>终局与非终局事项分别裁决时，逐项填写本项结果</source>
        <translation>When final and non-final matters are awarded separately, fill in the result of each</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="503"/>
        <source>缺席裁决（被申请人经书面通知无正当理由拒不到庭）</source>
        <translation>Award by default (respondent refused to attend without good reason after written notice)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="521"/>
        <source>作出裁决</source>
        <translation>Make award</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="527"/>
        <source>经审理查明</source>
        <translation>Facts found at the hearing</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="529"/>
        <source>裁决结果</source>
        <translation>Award result</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="764"/>
        <source>将制作：{docs}</source>
        <translation>Will produce: {docs}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="766"/>
        <source>尚缺：</source>
        <translation>Still missing:</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="781"/>
        <source>已作出裁决：{label}。请生成{docs}并登记送达。</source>
        <translation>Award made: {label}. Please generate {docs} and record service.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="798"/>
        <source>请填写申请人补正的材料。</source>
        <translation>Please enter the materials the applicant supplied.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="806"/>
        <source>已登记补正，仍需补正：</source>
        <translation>Supplement recorded; still to be supplied:</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="807"/>
        <source>申请材料已补正齐备，受理期限自今日重新起算，至{due}。</source>
        <translation>Application materials complete; the acceptance period runs again from today, until {due}.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="817"/>
        <source>已登记收到答辩书，请于五日内将副本送达申请人（第三十条）。</source>
        <translation>Defence recorded; serve a copy on the applicant within five days (Art. 30).</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="840"/>
        <source>已组成仲裁庭，请于受理之日起五日内书面通知当事人（第三十二条）。</source>
        <translation>Tribunal formed; notify the parties in writing within five days of acceptance (Art. 32).</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="848"/>
        <source>本案仲裁庭尚未组成。</source>
        <translation>The tribunal of this case is not formed yet.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="851"/>
        <source>已登记对{m}的回避申请，请报仲裁委员会主任决定。</source>
        <translation>Recusal request against {m} recorded; refer it to the chair of the commission for decision.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="863"/>
        <source>已作出回避决定，请生成回避决定书。</source>
        <translation>Recusal decided; please generate the recusal decision.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="870"/>
        <source>本案没有可据以视为撤回的开庭。</source>
        <translation>This case has no hearing on which a deemed withdrawal can rest.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="874"/>
        <source>已视为撤回仲裁申请，请生成决定书。</source>
        <translation>The application is deemed withdrawn; please generate the decision.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="881"/>
        <source>已结案归档。</source>
        <translation>Case closed and filed.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="889"/>
        <source>申请人已撤回仲裁申请，本案期限停止计算，开庭已取消；请生成决定书。</source>
        <translation>The applicant withdrew the application; the case periods stop and hearings are cancelled. Please generate the decision.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="528"/>
        <source>裁决理由</source>
        <translation>Reasons for the award</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="530"/>
        <source>逐项裁决</source>
        <translation>Award item by item</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="531"/>
        <source>仲裁费用</source>
        <translation>Arbitration fees</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="542"/>
        <source>撤回仲裁申请</source>
        <translation>Withdraw arbitration application</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="545"/>
        <source>撤回理由</source>
        <translation>Reasons for withdrawal</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="549"/>
        <source>视为撤回仲裁申请（申请人经书面通知无正当理由拒不到庭）</source>
        <translation>Application deemed withdrawn (applicant refused to attend without good reason after written notice)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="552"/>
        <source>缺席的开庭</source>
        <translation>Hearing not attended</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="554"/>
        <source>结案归档</source>
        <translation>Close and archive</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="573"/>
        <source>待补正：</source>
        <translation>To be supplied:</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="574"/>
        <source>申请材料齐备。</source>
        <translation>Application materials complete.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="626"/>
        <source>裁决金额（元）</source>
        <translation>Amount awarded (yuan)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="629"/>
        <source>本项结果，如：支持</source>
        <translation>Result of this item, e.g. upheld</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="638"/>
        <source>裁决性质：{label}</source>
        <translation>Nature of the award: {label}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="640"/>
        <source>终局</source>
        <translation>Final</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="640"/>
        <source>非终局</source>
        <translation>Not final</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="667"/>
        <source>已受理，案号{no}。</source>
        <translation>Accepted, case number {no}.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="675"/>
        <source>已决定不予受理，请制作不予受理通知书。</source>
        <translation>Decided not to accept; please draw up the notice of non-acceptance.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="682"/>
        <location filename="../../ui/arbitration/actions.py" line="695"/>
        <source>本案没有待开庭的庭次。</source>
        <translation>This case has no hearing pending.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="688"/>
        <source>已准许延期开庭，开庭时间另行通知。</source>
        <translation>Postponement granted; the new hearing time will be notified.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="702"/>
        <source>已保存庭审笔录。</source>
        <translation>Hearing record saved.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="715"/>
        <source>已变更仲裁请求，审理期限重新计算，至{due}届满。</source>
        <translation>Arbitration claims changed; the hearing period is recalculated and ends on {due}.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="728"/>
        <source>已延长审理期限十五日，至{due}届满。请书面通知当事人。</source>
        <translation>Hearing period extended by fifteen days, ending on {due}. Please notify the parties in writing.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="741"/>
        <source>已制作仲裁调解书，双方签收后发生法律效力。</source>
        <translation>Arbitral mediation statement drawn up; it takes legal effect once both parties have signed for it.</translation>
    </message>
    <message>
        <source>已作出裁决：{label}。</source>
        <translation type="vanished">Award made: {label}.</translation>
    </message>
    <message>
        <source>申请人已撤回仲裁申请，本案期限停止计算。</source>
        <translation type="vanished">The applicant has withdrawn the arbitration application; the case deadlines no longer run.</translation>
    </message>
</context>
<context>
    <name>CaseIntake</name>
    <message>
        <location filename="../../ui/common/case_intake.py" line="63"/>
        <source>{name}（在办{n}件）</source>
        <translation>{name} ({n} open)</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="65"/>
        <source> · 当事人已申请更换</source>
        <translation> · the party asked for a change</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="67"/>
        <source> · 应当回避：</source>
        <translation> · must recuse:</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="425"/>
        <source>改派</source>
        <translation>Reassign</translation>
    </message>
</context>
<context>
    <name>CaseRegister</name>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="65"/>
        <source>案号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="66"/>
        <source>劳动者</source>
        <translation>Worker</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="67"/>
        <source>用人单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="68"/>
        <location filename="../../ui/arbitration/cases.py" line="76"/>
        <location filename="../../ui/arbitration/cases.py" line="91"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="69"/>
        <source>收件日</source>
        <translation>Received on</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="70"/>
        <source>最近到期</source>
        <translation>Next due</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="74"/>
        <source>开庭时间</source>
        <translation>Hearing time</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="75"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="77"/>
        <source>开庭通知最迟送达</source>
        <translation>Notice to be served by</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="81"/>
        <location filename="../../ui/arbitration/cases.py" line="101"/>
        <source>文书</source>
        <translation>Document</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="82"/>
        <source>受送达人</source>
        <translation>Addressee</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="83"/>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="84"/>
        <source>签收日期</source>
        <translation>Date received</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="85"/>
        <source>签收人</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="89"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="90"/>
        <source>到期日</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="93"/>
        <source>剩余</source>
        <translation>Remaining</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="94"/>
        <source>依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="98"/>
        <source>生成时间</source>
        <translation>Generated at</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="99"/>
        <source>版本</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="99"/>
        <source>第{n}版</source>
        <translation>Version {n}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="100"/>
        <source>打印</source>
        <translation>Printed</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="100"/>
        <source>{n}次</source>
        <translation>{n}×</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="603"/>
        <source>案号、收件号或当事人姓名（Ctrl+F）</source>
        <translation>Case number, receipt number or party name (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="606"/>
        <source>搜索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="623"/>
        <source>开庭日</source>
        <translation>Hearing day</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="629"/>
        <source>批量打印当日开庭通知</source>
        <translation>Print all hearing notices for the day</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="635"/>
        <source>新建收件</source>
        <translation>New application</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="679"/>
        <source>找到 {n} 件</source>
        <translation>{n} found</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="680"/>
        <source>显示最新的 {n} 件，请缩小搜索范围</source>
        <translation>Showing the latest {n}; please narrow the search</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="712"/>
        <source>{day}没有安排开庭，无开庭通知可打印。</source>
        <translation>No hearings are scheduled on {day}, so there are no hearing notices to print.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="715"/>
        <source>{day}开庭通知（合并）</source>
        <translation>Hearing notices for {day} (combined)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="717"/>
        <source>已合并{day}的开庭通知，共{n}页。请预览后打印或保存。</source>
        <translation>Hearing notices for {day} combined, {n} page(s). Preview, then print or save.</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="221"/>
        <source>已排期</source>
        <translation>Scheduled</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="222"/>
        <source>已开庭</source>
        <translation>Held</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="223"/>
        <source>已延期</source>
        <translation>Postponed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="224"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>CaseState</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="104"/>
        <source>已登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="105"/>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="106"/>
        <source>调解中</source>
        <translation>Under mediation</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="107"/>
        <source>达成协议</source>
        <translation>Agreement reached</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="108"/>
        <source>调解不成</source>
        <translation>Mediation failed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="109"/>
        <source>已移送</source>
        <translation>Referred</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="110"/>
        <source>已结案</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>CaseView</name>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="143"/>
        <source>未选择案件</source>
        <translation>No case selected</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="145"/>
        <source>在左侧登记簿中搜索并选择案件</source>
        <translation>Search for and select a case in the register on the left</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="158"/>
        <source>概况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="159"/>
        <source>开庭</source>
        <translation>Hearing</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="160"/>
        <source>送达</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="161"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="162"/>
        <source>文书</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="165"/>
        <source>办理</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="194"/>
        <location filename="../../ui/arbitration/cases.py" line="205"/>
        <source>安排开庭</source>
        <translation>Schedule hearing</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="203"/>
        <source>{n}小时</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="212"/>
        <source>开庭通知须在开庭五日前送达双方当事人（《劳动争议调解仲裁法》第三十五条），以今天送达计算。</source>
        <translation>The hearing notice must be served on both parties five days before the hearing (Labour Dispute Mediation and Arbitration Law, Article 35), counting from service today.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="217"/>
        <source>开庭时间</source>
        <translation>Hearing time</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="240"/>
        <source>登记送达回证</source>
        <translation>Record proof of service</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="265"/>
        <source>默认为受送达人本人</source>
        <translation>Defaults to the addressee in person</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="266"/>
        <source>登记送达</source>
        <translation>Record service</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="272"/>
        <source>送达文书</source>
        <translation>Document served</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="273"/>
        <source>开庭场次</source>
        <translation>Hearing</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="274"/>
        <source>受送达人</source>
        <translation>Addressee</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="275"/>
        <source>送达方式</source>
        <translation>Service method</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="276"/>
        <source>签收日期</source>
        <translation>Date received</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="277"/>
        <source>签收人</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="298"/>
        <source>生成文书</source>
        <translation>Generate document</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="312"/>
        <source>致：按文书默认</source>
        <translation>To: document default</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="313"/>
        <source>致：申请人</source>
        <translation>To: applicant</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="314"/>
        <source>致：被申请人</source>
        <translation>To: respondent</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="316"/>
        <source>生成并预览</source>
        <translation>Generate and preview</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="319"/>
        <source>已生成的文书</source>
        <translation>Generated documents</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="335"/>
        <source>预览</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="338"/>
        <source>打印 (Ctrl+P)</source>
        <translation>Print (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="341"/>
        <source>另存为 PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="373"/>
        <source>申请人 {a}&#x3000;诉&#x3000;被申请人 {r}</source>
        <translation>Applicant {a}&#x3000;v.&#x3000;Respondent {r}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="418"/>
        <source>（{amount}元）</source>
        <translation>({amount} yuan)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="422"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="422"/>
        <source>收件号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="423"/>
        <source>收件日</source>
        <translation>Received on</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="423"/>
        <source>受理日</source>
        <translation>Accepted on</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="424"/>
        <source>被申请人签收</source>
        <translation>Respondent received</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="425"/>
        <source>处理程序</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="425"/>
        <source>简易处理</source>
        <translation>Simplified</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="425"/>
        <source>普通程序</source>
        <translation>Ordinary procedure</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="427"/>
        <source>仲裁庭</source>
        <translation>Tribunal</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="429"/>
        <source>待补正</source>
        <translation>Awaiting correction</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="456"/>
        <source>已安排开庭：{when}，{room}。请于{latest}前送达开庭通知。</source>
        <translation>Hearing scheduled: {when}, {room}. Serve the hearing notice by {latest}.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="489"/>
        <source>已登记送达回证：{doc}，{who}于{day}签收。</source>
        <translation>Proof of service recorded: {doc}, received by {who} on {day}.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="514"/>
        <source>请先在列表中选择要生成的文书。</source>
        <translation>First select the document to generate in the list.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="530"/>
        <source>已生成并登记：{title}</source>
        <translation>Generated and registered: {title}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="537"/>
        <source>{title}&#x3000;共{n}页</source>
        <translation>{title}&#x3000;{n} page(s)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="557"/>
        <source>打印失败：{reason}。可先另存为 PDF。</source>
        <translation>Printing failed: {reason}. You can save as PDF first.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="563"/>
        <source>已发送到打印机“{printer}”</source>
        <translation>Sent to printer &quot;{printer}&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="567"/>
        <source>已打印并记录：{title}</source>
        <translation>Printed and recorded: {title}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/cases.py" line="581"/>
        <source>已保存：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
</context>
<context>
    <name>Category</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="80"/>
        <source>婚姻家庭</source>
        <translation>Marriage and family</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="81"/>
        <source>邻里</source>
        <translation>Neighbours</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="82"/>
        <source>房屋宅基地</source>
        <translation>Housing and homesteads</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="83"/>
        <source>合同</source>
        <translation>Contracts</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="84"/>
        <source>生产经营</source>
        <translation>Business operations</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="85"/>
        <source>损害赔偿</source>
        <translation>Damages</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="86"/>
        <source>山林土地</source>
        <translation>Forests and land</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="87"/>
        <source>征地拆迁</source>
        <translation>Land requisition and demolition</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="88"/>
        <source>环境污染</source>
        <translation>Environmental pollution</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="89"/>
        <source>劳动争议</source>
        <translation>Labour disputes</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="90"/>
        <source>消费</source>
        <translation>Consumer</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="91"/>
        <source>医疗</source>
        <translation>Medical</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="92"/>
        <source>道路交通事故</source>
        <translation>Road traffic accidents</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="93"/>
        <source>物业</source>
        <translation>Property management</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="94"/>
        <source>其它</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>ChangesDialog</name>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="39"/>
        <source>确认 {year} 年放假安排的变化</source>
        <translation>Confirm the changes to the {year} holiday schedule</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="42"/>
        <source>以下 {n} 天的工作日/休息日将改变：</source>
        <translation>The following {n} days change between working day and rest day:</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="45"/>
        <source>改为休息日的日子里仍有 {n} 个“已预约”，请联系预约人改约或取消：</source>
        <translation>{n} appointments on days that become rest days are still &quot;booked&quot;; contact the visitors to rebook or cancel:</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="51"/>
        <source>以下 {n} 个未到期的期限到期日落在改为休息日的日子，保存后将顺延重算：</source>
        <translation>{n} open deadlines fall due on days that become rest days; they will be moved and recomputed on saving:</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="59"/>
        <source>确认保存</source>
        <translation>Confirm and save</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_holidays.py" line="60"/>
        <source>返回修改</source>
        <translation>Back to editing</translation>
    </message>
</context>
<context>
    <name>ClaimsEditor</name>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="76"/>
        <source>第{n}项请求</source>
        <translation>Claim {n}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="78"/>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
</context>
<context>
    <name>ClerkDocuments</name>
    <message>
        <location filename="../../ui/arbitration/docs.py" line="54"/>
        <source>仲裁裁决书（终局裁决事项）</source>
        <translation>Arbitral award (final matters)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/docs.py" line="55"/>
        <source>仲裁裁决书（非终局裁决事项）</source>
        <translation>Arbitral award (non-final matters)</translation>
    </message>
    <message>
        <location filename="../../ui/common/pdfview.py" line="167"/>
        <source>保存文书</source>
        <translation>Save document</translation>
    </message>
    <message>
        <location filename="../../ui/common/pdfview.py" line="167"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/common/pdfview.py" line="129"/>
        <source>文书文件无法读取</source>
        <translation>The document file cannot be read</translation>
    </message>
    <message>
        <location filename="../../ui/common/pdfview.py" line="131"/>
        <source>无法开始打印，请检查打印机是否开机、是否缺纸</source>
        <translation>Printing cannot start; check that the printer is on and has paper</translation>
    </message>
    <message>
        <location filename="../../ui/common/pdfview.py" line="135"/>
        <source>打印机拒绝了下一页</source>
        <translation>The printer refused the next page</translation>
    </message>
    <message>
        <location filename="../../ui/common/pdfview.py" line="179"/>
        <source>默认打印机</source>
        <translation>Default printer</translation>
    </message>
</context>
<context>
    <name>ClerkWorkspace</name>
    <message>
        <location filename="../../ui/arbitration/workspace.py" line="79"/>
        <source>仲裁书记员工作台</source>
        <extracomment>Event kinds after which the board and the open case are read again.</extracomment>
        <translation>Arbitration clerk&apos;s workspace</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/workspace.py" line="85"/>
        <source>{name}&#x3000;劳动人事争议仲裁案件的期限、送达、开庭与文书</source>
        <translation>{name}&#x3000;Deadlines, service, hearings and documents of labour and personnel dispute arbitration cases</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/workspace.py" line="95"/>
        <source>期限看板</source>
        <translation>Deadline board</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/workspace.py" line="96"/>
        <source>案件登记簿</source>
        <translation>Case register</translation>
    </message>
</context>
<context>
    <name>ConfigPage</name>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="109"/>
        <source>配置导入导出</source>
        <translation>Configuration import/export</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="110"/>
        <source>把本中心的业务、窗口、房间、账户、关键词、节假日和参数导出为一个文件，用于备份或在新服务器上恢复。导出文件不含密码。</source>
        <translation>Export this centre&apos;s services, windows, rooms, accounts, keywords, holidays and parameters to one file, for backup or to restore on a new server. The export contains no passwords.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="116"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="117"/>
        <source>导出文件为 UTF-8 编码的 JSON，可用文本编辑器查看。</source>
        <translation>The export file is UTF-8 encoded JSON and can be viewed in a text editor.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="118"/>
        <source>导出到文件…</source>
        <translation>Export to file…</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="121"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="122"/>
        <source>导入前先列出将发生的变化，确认后一次性写入；任何一项有误则全部不写入。本库有而文件中没有的业务、窗口、房间将停用，不会删除。</source>
        <translation>Before importing, the changes are listed; once confirmed they are written in one go, and if any item is wrong nothing is written. Services, windows and rooms in the database but not in the file are deactivated, not deleted.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="124"/>
        <source>尚未选择文件</source>
        <translation>No file selected</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="126"/>
        <source>选择配置文件…</source>
        <translation>Choose configuration file…</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="134"/>
        <source>选择文件后，这里列出导入将带来的变化。</source>
        <translation>After you choose a file, the changes the import will make are listed here.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="137"/>
        <source>确认导入</source>
        <translation>Confirm import</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="140"/>
        <source>以下新账户的临时密码只显示这一次，请抄下后当面告知本人：</source>
        <translation>The temporary passwords of these new accounts are shown only this once. Write them down and tell each person face to face:</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="143"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="144"/>
        <source>临时密码</source>
        <translation>Temporary password</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="166"/>
        <source>导出中心配置</source>
        <translation>Export centre configuration</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="166"/>
        <source>选择要导入的中心配置文件</source>
        <translation>Choose the centre configuration file to import</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="167"/>
        <source>中心配置 (*.json)</source>
        <translation>Centre configuration (*.json)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="171"/>
        <source>中心配置.json</source>
        <translation>centre-configuration.json</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="192"/>
        <source>已导出到 {path}：业务 {s} 项、窗口 {w} 个、房间 {r} 间、账户 {u} 个（不含密码）。</source>
        <translation>Exported to {path}: {s} services, {w} windows, {r} rooms, {u} accounts (no passwords).</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="223"/>
        <source>导入后没有任何变化。</source>
        <translation>The import would change nothing.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="229"/>
        <source>请先选择配置文件</source>
        <translation>Please choose a configuration file first</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="53"/>
        <location filename="../../ui/centre/admin_config.py" line="237"/>
        <source>业务</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="39"/>
        <source>{what}：新增 {n} 项（{names}）</source>
        <translation>{what}: {n} new ({names})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="42"/>
        <source>{what}：修改 {n} 项（{names}）</source>
        <translation>{what}: {n} changed ({names})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="45"/>
        <source>{what}：停用 {n} 项（不在导入的配置中：{names}）</source>
        <translation>{what}: {n} deactivated (not in the imported configuration: {names})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="54"/>
        <location filename="../../ui/centre/admin_config.py" line="237"/>
        <source>窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="55"/>
        <location filename="../../ui/centre/admin_config.py" line="237"/>
        <source>房间</source>
        <translation>Rooms</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="60"/>
        <source>新账户将各得到一个临时密码（导入后只显示一次），首次登录须修改。</source>
        <translation>Each new account gets a temporary password (shown only once after the import), to be changed at the first sign-in.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="62"/>
        <source>中心信息将更新</source>
        <translation>Centre information will be updated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="64"/>
        <source>取号关键词将更新</source>
        <translation>Ticket keywords will be updated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="68"/>
        <source>参数：{n} 项将更新（{keys}）</source>
        <translation>Parameters: {n} will be updated ({keys})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="72"/>
        <source>预约设置：{n} 项业务将更新</source>
        <translation>Appointment settings: {n} service(s) will be updated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="76"/>
        <source>节假日安排：{years} 年将录入或更新</source>
        <translation>Public holidays: {years} will be entered or updated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="86"/>
        <source>无法读取文件“{name}”：{why}</source>
        <translation>Cannot read the file &quot;{name}&quot;: {why}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="89"/>
        <source>“{name}”不是有效的配置文件（应为导出的 JSON 文件）</source>
        <translation>&quot;{name}&quot; is not a valid configuration file (it should be an exported JSON file)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="91"/>
        <source>“{name}”不是本系统导出的中心配置文件</source>
        <translation>&quot;{name}&quot; is not a centre configuration file exported by this system</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="238"/>
        <source>参数</source>
        <translation>Parameters</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="238"/>
        <source>预约设置</source>
        <translation>Appointment settings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="58"/>
        <location filename="../../ui/centre/admin_config.py" line="238"/>
        <source>账户</source>
        <translation>Accounts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="239"/>
        <source>节假日安排</source>
        <translation>Public holidays</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="239"/>
        <source>重算的期限</source>
        <translation>Recalculated deadlines</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="241"/>
        <source>导入完成：{parts}。</source>
        <translation>Import complete: {parts}.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_config.py" line="242"/>
        <source>导入完成，没有任何变化。</source>
        <translation>Import complete; nothing changed.</translation>
    </message>
</context>
<context>
    <name>CountingPage</name>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="24"/>
        <source>期限计算方式</source>
        <translation>Period counting</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="25"/>
        <source>法律写作“日”的期限默认按自然日计算，届满日遇法定休假日顺延（《民事诉讼法》第八十五条）。如本地实践按工作日计算，可逐条改为工作日；修改会记入审计日志，并立即重算所有未完成的期限。</source>
        <translation>Periods in &quot;days&quot; are counted in calendar days by default; a last day on a public holiday moves to the next working day (Civil Procedure Law Art. 85). Where local practice counts working days, switch each rule to working days; changes are audited and every open deadline is recomputed at once.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="28"/>
        <source>可设置的期限</source>
        <translation>Configurable periods</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="34"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="48"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="48"/>
        <source>依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="48"/>
        <source>默认</source>
        <translation>Default</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="48"/>
        <source>计算方式</source>
        <translation>Counting</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="71"/>
        <source>没有修改。</source>
        <translation>Nothing changed.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_counting.py" line="79"/>
        <source>已保存{n}条期限的计算方式，重算了{m}个未完成期限的到期日。</source>
        <translation>Counting of {n} periods saved; due dates of {m} open deadlines recomputed.</translation>
    </message>
</context>
<context>
    <name>DeadlineBoard</name>
    <message>
        <location filename="../../ui/arbitration/board.py" line="51"/>
        <source>今日到期</source>
        <extracomment>(filter, label) in the order of the buttons.</extracomment>
        <translation>Due today</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="52"/>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="53"/>
        <source>已逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="54"/>
        <source>全部未完成</source>
        <translation>All open</translation>
    </message>
    <message>
        <location filename="../../ui/common/deadlines.py" line="25"/>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../ui/common/deadlines.py" line="29"/>
        <source>逾期{n}天</source>
        <translation>{n} day(s) overdue</translation>
    </message>
    <message>
        <location filename="../../ui/common/deadlines.py" line="31"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/common/deadlines.py" line="32"/>
        <source>{n}天</source>
        <translation>{n} day(s)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="65"/>
        <source>到期日</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="66"/>
        <source>剩余</source>
        <translation>Remaining</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="68"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="70"/>
        <source>案号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="71"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="72"/>
        <source>依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="73"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="132"/>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="197"/>
        <source>选择左侧的期限，查看到期日的计算过程和可做的处理。</source>
        <translation>Select a deadline on the left to see how its due date was calculated and what can be done.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="206"/>
        <source>法律依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="210"/>
        <source>到期日如何得出</source>
        <translation>How the due date was reached</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="230"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="232"/>
        <source>完成</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="234"/>
        <source>期限要求的事项已在所选日期完成</source>
        <translation>What the deadline requires was done on the selected date</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="236"/>
        <source>延长</source>
        <translation>Extend</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="239"/>
        <location filename="../../ui/arbitration/board.py" line="347"/>
        <source>中止</source>
        <translation>Suspend</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="247"/>
        <source>重新计算</source>
        <translation>Recalculate</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="252"/>
        <source>打开案件</source>
        <translation>Open case</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="276"/>
        <source>共 {n} 项</source>
        <translation>{n} in total</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="277"/>
        <source>已显示 {n} 项，向下滚动查看更多</source>
        <translation>Showing {n}; scroll down for more</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="327"/>
        <source>{case}&#x3000;{label}</source>
        <translation>{case}&#x3000;{label}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="330"/>
        <source>起算日 {start}&#x3000;到期日 &lt;b&gt;{due}&lt;/b&gt;&#x3000;{left}</source>
        <translation>Start {start}&#x3000;Due &lt;b&gt;{due}&lt;/b&gt;&#x3000;{left}</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="334"/>
        <source>正在读取计算过程…</source>
        <translation>Reading the calculation…</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="346"/>
        <source>该期限依法不能延长</source>
        <translation>This deadline cannot be extended by law</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="347"/>
        <source>恢复</source>
        <translation>Resume</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="375"/>
        <source>已记录完成，该期限移出未完成清单。</source>
        <translation>Completion recorded; the deadline has left the open list.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="381"/>
        <source>延长审理期限须经仲裁委员会主任批准：已打开案件，请在“延长审理期限”中录入批准人和理由，并生成延长审理期限通知书。</source>
        <translation>Extending the hearing period needs the chair&apos;s approval: the case is open; enter the approver and the reason under &quot;Extend hearing period&quot; and generate the extension notice.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="385"/>
        <source>已记录延长，到期日已重新计算。</source>
        <translation>Extension recorded; the due date has been recalculated.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="389"/>
        <source>已恢复计算。</source>
        <translation>Calculation resumed.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="391"/>
        <source>已中止计算。</source>
        <translation>Calculation suspended.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/board.py" line="402"/>
        <source>已按所选事由重新计算到期日。</source>
        <translation>Due date recalculated for the selected reason.</translation>
    </message>
</context>
<context>
    <name>DepartmentDeskWorkspace</name>
    <message>
        <location filename="../../ui/whistle/dept.py" line="41"/>
        <source>吹哨编号</source>
        <translation>Whistle no.</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="42"/>
        <source>哨类</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="43"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="44"/>
        <source>报到时限</source>
        <translation>Report by</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="45"/>
        <location filename="../../ui/whistle/dept.py" line="47"/>
        <source>（逾期）</source>
        <translation> (overdue)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="46"/>
        <source>办结时限</source>
        <translation>Complete by</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="48"/>
        <source>督办</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="49"/>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="56"/>
        <source>报到人员</source>
        <translation>Reporting staff</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="60"/>
        <location filename="../../ui/whistle/dept.py" line="75"/>
        <source>报到</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="62"/>
        <source>处置情况</source>
        <translation>Actions taken</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="65"/>
        <source>添加附件…</source>
        <translation>Add attachment…</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="66"/>
        <source>记录处置</source>
        <translation>Record actions</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="68"/>
        <source>办理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="69"/>
        <source>提交办理结果</source>
        <translation>Submit result</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="71"/>
        <source>退回理由（必填）</source>
        <translation>Reason for returning (required)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="72"/>
        <source>退回中心</source>
        <translation>Return to the centre</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="79"/>
        <source>处置</source>
        <translation>Handle</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="84"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="87"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="116"/>
        <source>本账户尚未关联部门，请联系系统管理员</source>
        <translation>This account is not linked to a department; please contact the administrator</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="132"/>
        <source>请先选择一项召集</source>
        <translation>Please select a summons first</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="143"/>
        <source>事项：</source>
        <translation>Matter:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="143"/>
        <source>地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="144"/>
        <source>报到时限：</source>
        <translation>Report by:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="144"/>
        <source>办结时限：</source>
        <translation>Complete by:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="146"/>
        <source>联系群众：</source>
        <translation>Contact the visitor:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="153"/>
        <source>添加附件</source>
        <translation>Add attachment</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="170"/>
        <source>已报到</source>
        <translation>Reported</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="184"/>
        <source>已记录处置情况</source>
        <translation>Actions recorded</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="198"/>
        <source>已提交办理结果</source>
        <translation>Result submitted</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/dept.py" line="206"/>
        <source>已退回中心</source>
        <translation>Returned to the centre</translation>
    </message>
</context>
<context>
    <name>DirectorWorkspace</name>
    <message>
        <location filename="../../ui/centre/director.py" line="86"/>
        <source>今天</source>
        <extracomment>Events after which the dashboard is read again. Quiet time after the last relevant event before reading again (a busy hall sends several events a second; the figures need not follow each one).</extracomment>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="87"/>
        <source>本周</source>
        <translation>This week</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="88"/>
        <source>本月</source>
        <translation>This month</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="89"/>
        <source>自定义</source>
        <translation>Custom</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="590"/>
        <source>主任工作台</source>
        <extracomment>After every reload of the figures. After the records behind a bar or card are shown. After a monthly report was written (the path). After the twelve months&apos; trends were read. After a ticket or case was opened from a records table.</extracomment>
        <translation>Director&apos;s workspace</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="620"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="621"/>
        <source>查询</source>
        <translation>Query</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="635"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="639"/>
        <location filename="../../ui/centre/director.py" line="1143"/>
        <source>导出月报</source>
        <translation>Export monthly report</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="642"/>
        <source>PDF（打印、报送）</source>
        <translation>PDF (for printing and filing)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="643"/>
        <source>Excel 表格（XLSX）</source>
        <translation>Excel spreadsheet (XLSX)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="659"/>
        <location filename="../../ui/centre/director.py" line="757"/>
        <location filename="../../ui/centre/director.py" line="1031"/>
        <source>排队号</source>
        <extracomment>The definition (docs/figures.md) each card shows as its tooltip.</extracomment>
        <translation>Tickets</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="659"/>
        <source>平均等候</source>
        <translation>Average wait</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="660"/>
        <source>等候 P90</source>
        <translation>Wait P90</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="660"/>
        <source>过号率</source>
        <translation>No-show rate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="661"/>
        <source>转移率</source>
        <translation>Transfer rate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="661"/>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="682"/>
        <source>各时段平均等候（分钟，按取号时刻）</source>
        <translation>Average wait by hour (minutes, by ticket time)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="683"/>
        <source>各业务排队号</source>
        <translation>Tickets per service</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="684"/>
        <source>满意度分布（条）</source>
        <translation>Satisfaction ratings (count)</translation>
    </message>
    <message>
        <source>各类纠纷调解成功率（%）</source>
        <translation type="vanished">Mediation success rate by dispute type (%)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="699"/>
        <source>点击柱形或数字卡片，可查看其对应的明细记录。</source>
        <translation>Click a bar or a figure card to see the records behind it.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="167"/>
        <location filename="../../ui/centre/director.py" line="192"/>
        <location filename="../../ui/centre/director.py" line="201"/>
        <location filename="../../ui/centre/director.py" line="210"/>
        <location filename="../../ui/centre/director.py" line="219"/>
        <location filename="../../ui/centre/director.py" line="723"/>
        <location filename="../../ui/centre/director.py" line="778"/>
        <location filename="../../ui/centre/director.py" line="1090"/>
        <location filename="../../ui/centre/director.py" line="1101"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="230"/>
        <location filename="../../ui/centre/director.py" line="724"/>
        <source>到期日</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="725"/>
        <source>剩余</source>
        <translation>Remaining</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="198"/>
        <location filename="../../ui/centre/director.py" line="209"/>
        <location filename="../../ui/centre/director.py" line="227"/>
        <location filename="../../ui/centre/director.py" line="726"/>
        <location filename="../../ui/centre/director.py" line="773"/>
        <source>案号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="228"/>
        <location filename="../../ui/centre/director.py" line="727"/>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="229"/>
        <location filename="../../ui/centre/director.py" line="728"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="729"/>
        <source>依据</source>
        <translation>Basis</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="734"/>
        <source>期限风险</source>
        <translation>Deadline risks</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="740"/>
        <source>跟进…</source>
        <translation>Follow up…</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="744"/>
        <source>显示已处理</source>
        <translation>Show handled</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="179"/>
        <location filename="../../ui/centre/director.py" line="752"/>
        <source>评价时间</source>
        <translation>Rated at</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="180"/>
        <location filename="../../ui/centre/director.py" line="753"/>
        <source>星级</source>
        <translation>Stars</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="166"/>
        <location filename="../../ui/centre/director.py" line="191"/>
        <location filename="../../ui/centre/director.py" line="754"/>
        <location filename="../../ui/centre/director.py" line="1090"/>
        <source>业务</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="165"/>
        <source>号码</source>
        <extracomment>The kind of record each section&apos;s figures list (the columns of an empty table).</extracomment>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="168"/>
        <location filename="../../ui/centre/director.py" line="1091"/>
        <source>办公日</source>
        <translation>Working day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="169"/>
        <location filename="../../ui/centre/director.py" line="1092"/>
        <source>取号</source>
        <translation>Ticket taken</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="170"/>
        <location filename="../../ui/centre/director.py" line="1093"/>
        <source>叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="171"/>
        <source>等候(分)</source>
        <translation>Wait (min)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="172"/>
        <source>办理(分)</source>
        <translation>Service (min)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="173"/>
        <location filename="../../ui/centre/director.py" line="755"/>
        <location filename="../../ui/centre/director.py" line="1095"/>
        <source>窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="173"/>
        <location filename="../../ui/centre/director.py" line="755"/>
        <source>{n}号</source>
        <translation>No. {n}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="175"/>
        <location filename="../../ui/centre/director.py" line="1091"/>
        <source>来访人</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="181"/>
        <location filename="../../ui/centre/director.py" line="758"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="182"/>
        <location filename="../../ui/centre/director.py" line="759"/>
        <source>意见</source>
        <translation>Comment</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="183"/>
        <location filename="../../ui/centre/director.py" line="760"/>
        <source>处理</source>
        <translation>Handling</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="183"/>
        <location filename="../../ui/centre/director.py" line="760"/>
        <source>已处理</source>
        <translation>Handled</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="183"/>
        <location filename="../../ui/centre/director.py" line="760"/>
        <source>未处理</source>
        <translation>Not handled</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="189"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="190"/>
        <source>时段</source>
        <translation>Time slot</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="193"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="194"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="199"/>
        <location filename="../../ui/centre/director.py" line="774"/>
        <location filename="../../ui/centre/director.py" line="1100"/>
        <source>纠纷类别</source>
        <translation>Dispute type</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="184"/>
        <location filename="../../ui/centre/director.py" line="200"/>
        <location filename="../../ui/centre/director.py" line="1100"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="185"/>
        <source>回访人</source>
        <translation>Caller</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="202"/>
        <location filename="../../ui/centre/director.py" line="779"/>
        <location filename="../../ui/centre/director.py" line="1103"/>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="202"/>
        <location filename="../../ui/centre/director.py" line="1103"/>
        <source>未指派</source>
        <translation>Not assigned</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="203"/>
        <location filename="../../ui/centre/director.py" line="780"/>
        <location filename="../../ui/centre/director.py" line="1104"/>
        <source>受理时间</source>
        <translation>Accepted at</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="204"/>
        <source>协议金额(元)</source>
        <translation>Agreed amount (yuan)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="208"/>
        <source>收件号</source>
        <translation>Receipt number</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="211"/>
        <source>收件日期</source>
        <translation>Received on</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="212"/>
        <location filename="../../ui/centre/director.py" line="221"/>
        <source>受理日期</source>
        <translation>Accepted on</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="213"/>
        <source>结案方式</source>
        <translation>How closed</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="214"/>
        <source>结案日期</source>
        <translation>Closed on</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="218"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="220"/>
        <source>登记日期</source>
        <translation>Registered on</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="222"/>
        <source>处理意见日期</source>
        <translation>Opinion dated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="223"/>
        <source>办结日期</source>
        <translation>Completed on</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="231"/>
        <source>完成日</source>
        <translation>Done on</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="232"/>
        <source>按期</source>
        <translation>On time</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="232"/>
        <location filename="../../ui/centre/director.py" line="776"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="232"/>
        <source>逾期</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="234"/>
        <source>记录</source>
        <translation>Records</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="662"/>
        <source>平均办理</source>
        <translation>Average handling</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="662"/>
        <source>窗口占用率</source>
        <translation>Window occupancy</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="663"/>
        <location filename="../../ui/centre/director.py" line="801"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="663"/>
        <location filename="../../ui/centre/director.py" line="798"/>
        <source>调解成功率</source>
        <translation>Mediation success rate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="664"/>
        <source>协议履行率</source>
        <translation>Agreement fulfilment rate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="664"/>
        <location filename="../../ui/centre/director.py" line="788"/>
        <source>高风险案件</source>
        <translation>High-risk cases</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="685"/>
        <source>各类纠纷调解成功率（%，按结果发生月）</source>
        <translation>Mediation success rate by dispute type (%, by month of result)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="761"/>
        <source>跟进情况</source>
        <translation>Follow-up</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="770"/>
        <source>不满意评价</source>
        <translation>Unsatisfied ratings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="775"/>
        <location filename="../../ui/centre/director.py" line="1101"/>
        <source>风险</source>
        <translation>Risk</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="776"/>
        <location filename="../../ui/centre/director.py" line="1102"/>
        <source>已报公安</source>
        <translation>Reported to police</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="776"/>
        <location filename="../../ui/centre/director.py" line="1102"/>
        <source>否</source>
        <translation>No</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="777"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="791"/>
        <source>月份</source>
        <translation>Month</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="792"/>
        <source>来访人次</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="793"/>
        <location filename="../../ui/centre/director.py" line="796"/>
        <source>环比</source>
        <translation>Month on month</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="794"/>
        <location filename="../../ui/centre/director.py" line="797"/>
        <source>同比</source>
        <translation>Year on year</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="795"/>
        <source>调解受理</source>
        <translation>Mediation cases accepted</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="799"/>
        <source>仲裁收件</source>
        <translation>Arbitration applications received</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="800"/>
        <source>信访登记</source>
        <translation>Petitions registered</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="805"/>
        <source>近十二个月</source>
        <translation>Last twelve months</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="811"/>
        <source>等候承诺</source>
        <translation>Wait promises</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="820"/>
        <source>吹哨报到考核</source>
        <translation>Whistle assessment</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="844"/>
        <source>逾期 {n} 天</source>
        <translation>{n} day(s) overdue</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="846"/>
        <source>今日到期</source>
        <translation>Due today</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="847"/>
        <source>{n} 天</source>
        <translation>{n} day(s)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="926"/>
        <source>统计区间：{label}</source>
        <translation>Period: {label}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="927"/>
        <source>更新于 {time}</source>
        <translation>Updated {time}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="929"/>
        <source>来访 {v} 人次 · 办结 {f}</source>
        <translation>{v} visits · {f} finished</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="932"/>
        <source>中位数 {m} · {n} 人</source>
        <translation>median {m} · {n} people</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="935"/>
        <source>九成来访者的等候不超过此值</source>
        <translation>Nine in ten visitors waited no longer than this</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="936"/>
        <source>过号 {a} / 叫号 {b}</source>
        <translation>{a} no-shows / {b} calls</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="938"/>
        <source>转移 {a} / 来访 {b}</source>
        <translation>{a} transfers / {b} visits</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="941"/>
        <source>{m} 星</source>
        <translation>{m} stars</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="942"/>
        <source>{n} 条评价 · 不满意 {low}</source>
        <translation>{n} ratings · {low} unsatisfied</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="945"/>
        <source>{n} 人 · 其中未按开始办理 {k}</source>
        <translation>{n} · of which not started {k}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="951"/>
        <source>占用 {b} / 开放 {o} 小时</source>
        <translation>Busy {b} / open {o} hours</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="953"/>
        <source>4星及以上 {a} / 评价 {b}</source>
        <translation>4 stars or more {a} / ratings {b}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="956"/>
        <source>达成协议 {a} / 调解终结 {b}</source>
        <translation>Agreements {a} / mediations ended {b}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="959"/>
        <source>已履行 {a} / 达成协议 {b}</source>
        <translation>Fulfilled {a} / agreements {b}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="963"/>
        <source>其中已报公安 {n} · 在办</source>
        <translation>Of which reported to police {n} · open</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="966"/>
        <source>高风险案件（{n}）</source>
        <translation>High-risk cases ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="971"/>
        <source>期限风险（逾期 {a} · 七日内 {b}）</source>
        <translation>Deadline risks ({a} overdue · {b} within seven days)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="975"/>
        <source>不满意评价（待跟进 {n}）</source>
        <translation>Unsatisfied ratings ({n} to follow up)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="980"/>
        <source>{m} 分</source>
        <translation>{m} min</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="985"/>
        <source>{h}时</source>
        <translation>{h}:00</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="987"/>
        <source>{h}:00–{h2}:00 取号的等候记录</source>
        <translation>Waits of tickets taken {h}:00–{h2}:00</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="993"/>
        <source>“{name}”的排队号</source>
        <translation>Tickets for &quot;{name}&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="997"/>
        <source>{n}星</source>
        <translation>{n} star</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="999"/>
        <source>{n}星评价</source>
        <translation>{n}-star ratings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1006"/>
        <source>“{name}”达成协议的案件</source>
        <translation>Cases of &quot;{name}&quot; that reached agreement</translation>
    </message>
    <message>
        <source>“{name}”调解成功的案件</source>
        <translation type="vanished">Cases of &quot;{name}&quot; settled by mediation</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1032"/>
        <location filename="../../ui/centre/director.py" line="1033"/>
        <source>已叫号（计入等候时间）</source>
        <translation>Called (counted in waiting time)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1034"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1035"/>
        <source>转移的来访</source>
        <translation>Transferred visits</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1036"/>
        <source>满意度评价</source>
        <translation>Satisfaction ratings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1037"/>
        <source>计入办理时间的排队号</source>
        <translation>Tickets counted in handling time</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1038"/>
        <source>各窗口叫号并结束的排队号</source>
        <translation>Tickets called and ended at each window</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1039"/>
        <source>满意评价（4星及以上）</source>
        <translation>Satisfied ratings (4 stars or more)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1040"/>
        <source>调解终结的案件（调解成功率的分母）</source>
        <translation>Mediations ended (denominator of the success rate)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1041"/>
        <source>达成协议的案件（协议履行率的分母）</source>
        <translation>Cases with agreement (denominator of the fulfilment rate)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1089"/>
        <source>排队号 {n}</source>
        <translation>Ticket {n}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1092"/>
        <source>优先</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1093"/>
        <source>开始办理</source>
        <translation>Start serving</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1094"/>
        <source>办结</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1096"/>
        <source>办结结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1099"/>
        <source>案件 {n}</source>
        <translation>Case {n}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1102"/>
        <source>是：</source>
        <translation>Yes:</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1105"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1106"/>
        <source>纠纷事实</source>
        <translation>Facts of the dispute</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1106"/>
        <source>请求</source>
        <translation>Claims</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1140"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1140"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbooks (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="1141"/>
        <source>{y}年{m}月运行月报.{ext}</source>
        <translation>Monthly report {y}-{m}.{ext}</translation>
    </message>
</context>
<context>
    <name>DocumentPrinter</name>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="180"/>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <source>未检测到可用的打印机，协议书已保存为 PDF：{path}</source>
        <translation type="vanished">No printer found; the agreement has been saved as PDF: {path}</translation>
    </message>
    <message>
        <source>打印失败，协议书已保存为 PDF：{path}</source>
        <translation type="vanished">Printing failed; the agreement has been saved as PDF: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="202"/>
        <source>未检测到可用的打印机，文书已保存为 PDF：{path}</source>
        <translation>No printer found; the document was saved as PDF: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="221"/>
        <source>打印失败，文书已保存为 PDF：{path}</source>
        <translation>Printing failed; the document was saved as PDF: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="223"/>
        <source>已取消打印</source>
        <translation>Printing cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="224"/>
        <source>已发送到打印机</source>
        <translation>Sent to the printer</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/agreement.py" line="233"/>
        <source>无法打印，也无法保存 PDF（{reason}）</source>
        <translation>Cannot print, and cannot save a PDF either ({reason})</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../ui/common/errors.py" line="30"/>
        <source>无法完成操作</source>
        <extracomment>Tests replace this to see messages instead of blocking on a dialog.</extracomment>
        <translation>The operation could not be completed</translation>
    </message>
    <message>
        <location filename="../../ui/common/errors.py" line="32"/>
        <source>数据库暂时不可用</source>
        <translation>The database is temporarily unavailable</translation>
    </message>
    <message>
        <location filename="../../ui/common/errors.py" line="33"/>
        <source>无法访问数据库，可能是网络中断或数据库繁忙。已输入的内容不会丢失，请稍后重试。</source>
        <translation>The database cannot be reached; the network may be down or the database busy. Nothing you have entered is lost. Please try again later.</translation>
    </message>
    <message>
        <location filename="../../ui/common/errors.py" line="35"/>
        <source>数据库错误</source>
        <translation>Database error</translation>
    </message>
    <message>
        <location filename="../../ui/common/errors.py" line="35"/>
        <source>数据库返回错误，操作未完成。详情已记录在日志中。</source>
        <translation>The database returned an error and the operation was not completed. The details are in the log.</translation>
    </message>
    <message>
        <location filename="../../ui/common/errors.py" line="37"/>
        <source>文件或设备错误</source>
        <translation>File or device error</translation>
    </message>
    <message>
        <location filename="../../ui/common/errors.py" line="38"/>
        <source>程序内部错误</source>
        <translation>Internal error</translation>
    </message>
    <message>
        <location filename="../../ui/common/errors.py" line="39"/>
        <source>操作未完成：程序遇到意外情况（{kind}）。详情已记录在日志中，请联系管理员。</source>
        <translation>The operation was not completed: the program met an unexpected situation ({kind}). The details are in the log; please contact the administrator.</translation>
    </message>
</context>
<context>
    <name>EvidenceTab</name>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="60"/>
        <source>未校验</source>
        <extracomment>The documents of a mediation case, in the order of its file (人民调解法第二十七条).</extracomment>
        <translation>Not verified</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="61"/>
        <source>一致</source>
        <translation>Matches</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="61"/>
        <source>不一致：</source>
        <translation>Differs:</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="64"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="65"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="66"/>
        <source>大小</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="67"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="68"/>
        <source>录像段</source>
        <translation>Recording segment</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="69"/>
        <source>入库时间</source>
        <translation>Stored at</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="70"/>
        <source>校验</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="77"/>
        <source>证明内容 / 来源（可不填）</source>
        <translation>What it proves / source (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="78"/>
        <source>导入文件…</source>
        <translation>Import files…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="81"/>
        <source>校验全部文件</source>
        <translation>Verify all files</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="86"/>
        <source>所选文件关联到录像段</source>
        <translation>Link the selected file to a recording segment</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="95"/>
        <source>导出 DOCX</source>
        <translation>Export DOCX</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="100"/>
        <source>证据材料清单</source>
        <translation>List of evidence</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="105"/>
        <source>文书导出（可编辑的 DOCX）</source>
        <translation>Export documents (editable DOCX)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="117"/>
        <source>选择要入库的文件</source>
        <translation>Choose files to store</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="176"/>
        <source>（已关联）</source>
        <translation> (linked)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="180"/>
        <source>{n} 个文件与登记的校验值不符</source>
        <translation>{n} files differ from their registered checksums</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="182"/>
        <source>全部 {n} 个文件与登记的 SHA-256 一致</source>
        <translation>All {n} files match their registered SHA-256</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="214"/>
        <source>已入库：{name}（SHA-256 {sha}…）</source>
        <translation>Stored: {name} (SHA-256 {sha}…)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="227"/>
        <source>{name} 已关联到{segment}</source>
        <translation>{name} linked to {segment}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/evidence.py" line="250"/>
        <source>已导出：{path}</source>
        <translation>Exported: {path}</translation>
    </message>
</context>
<context>
    <name>FinishDialog</name>
    <message>
        <location filename="../../ui/window/state.py" line="320"/>
        <source>办结 {number}</source>
        <translation>Finish {number}</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="217"/>
        <source>可选：办理情况简要说明</source>
        <translation>Optional: a short note on how it was handled</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="321"/>
        <source>办结 {number}（{service}）</source>
        <translation>Finish {number} ({service})</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="219"/>
        <source>办结结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="219"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="322"/>
        <source>确认办结</source>
        <translation>Confirm finish</translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="vanished">Cancel</translation>
    </message>
</context>
<context>
    <name>FollowUpDialog</name>
    <message>
        <location filename="../../ui/centre/director.py" line="470"/>
        <source>跟进不满意评价</source>
        <translation>Follow up an unsatisfied rating</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="472"/>
        <source>{stars}  {service}  {number}
{reasons}
{comment}</source>
        <translation>{stars}  {service}  {number}
{reasons}
{comment}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="479"/>
        <source>（尚无跟进记录）</source>
        <translation>(no follow-up yet)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="484"/>
        <source>跟进情况：联系了谁、说明了什么、如何处理</source>
        <translation>Follow-up: who was contacted, what was explained, how it was handled</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="485"/>
        <source>问题已处理完毕</source>
        <translation>The problem has been resolved</translation>
    </message>
</context>
<context>
    <name>FollowUpMethod</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="112"/>
        <source>电话回访</source>
        <translation>Phone call</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="113"/>
        <source>上门回访</source>
        <translation>Home visit</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="114"/>
        <source>来访回访</source>
        <translation>Visit to the centre</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="115"/>
        <source>短信/微信回访</source>
        <translation>Text/WeChat message</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="116"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>FrontDeskWorkspace</name>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="158"/>
        <location filename="../../ui/frontdesk/panels.py" line="223"/>
        <source>来访人</source>
        <translation>Visitor</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="226"/>
        <source>查找老来访人：姓名、证件号、电话、拼音（Ctrl+F）</source>
        <translation>Find a returning visitor: name, ID number, phone, pinyin (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="235"/>
        <source>清空（Esc）</source>
        <translation>Clear (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="236"/>
        <source>F1–F12 / Alt+数字 取号 · Ctrl+Enter 按首选建议取号 · Ctrl+1–5 优先 · Ctrl+R 重打</source>
        <translation>F1–F12 / Alt+digit take a ticket · Ctrl+Enter takes the top suggestion · Ctrl+1–5 priority · Ctrl+R reprint</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="261"/>
        <source>不是此人</source>
        <translation>Not this person</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="269"/>
        <source>可不填；填写后排队票只显示“张*明”</source>
        <translation>Optional; the ticket then shows only &quot;张*明&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="271"/>
        <location filename="../../ui/frontdesk/panels.py" line="328"/>
        <location filename="../../ui/frontdesk/panels.py" line="353"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup.py" line="250"/>
        <location filename="../../ui/frontdesk/panels.py" line="277"/>
        <location filename="../../ui/frontdesk/workspace.py" line="466"/>
        <source>18 位居民身份证号（可不填）</source>
        <translation>18-digit resident ID number (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="279"/>
        <location filename="../../ui/frontdesk/panels.py" line="354"/>
        <source>身份证号</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup.py" line="251"/>
        <location filename="../../ui/frontdesk/panels.py" line="284"/>
        <location filename="../../ui/frontdesk/workspace.py" line="482"/>
        <source>手机或固定电话（可不填）</source>
        <translation>Mobile or landline (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="286"/>
        <location filename="../../ui/frontdesk/panels.py" line="355"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="305"/>
        <source>优先原因（{key}）</source>
        <translation>Priority reason ({key})</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="308"/>
        <source>优先</source>
        <translation>Priority</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="313"/>
        <source>来访人的诉求，如“拖欠工资”“邻居漏水”“物业”</source>
        <translation>What the visitor needs, e.g. &quot;unpaid wages&quot;, &quot;neighbour&apos;s leak&quot;, &quot;property management&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="316"/>
        <source>诉求</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="321"/>
        <source>来访人同意短信通知（快到号、叫号、转移时发到上面的手机）</source>
        <translation>Visitor agrees to SMS notices (to the mobile above)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="325"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="326"/>
        <location filename="../../ui/frontdesk/panels.py" line="369"/>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="327"/>
        <location filename="../../ui/frontdesk/panels.py" line="370"/>
        <source>业务</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="329"/>
        <source>前面</source>
        <translation>Ahead</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="329"/>
        <source>{n} 人</source>
        <translation>{n}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="333"/>
        <source>双击可重打该号的排队票</source>
        <translation>Double-click to reprint this ticket</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="334"/>
        <source>本台最近取号（双击重打）</source>
        <translation>Recent tickets at this desk (double-click to reprint)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="356"/>
        <source>来访</source>
        <translation>Visits</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="356"/>
        <source>{n} 次</source>
        <translation>{n}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="358"/>
        <source>上次</source>
        <translation>Last</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="365"/>
        <source>历次来访</source>
        <translation>Previous visits</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="368"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="371"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="372"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="378"/>
        <source>↑↓ 选择 · Enter 选用 · Esc 返回</source>
        <translation>↑↓ select · Enter choose · Esc back</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="136"/>
        <location filename="../../ui/frontdesk/panels.py" line="380"/>
        <source>合并重复记录</source>
        <translation>Merge duplicate records</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="381"/>
        <source>同一人登记了多条记录时：按住 Ctrl 选中这几条，合并为当前选中的一条</source>
        <translation>One person registered several times: Ctrl+click those rows to merge them into the current one</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="143"/>
        <location filename="../../ui/frontdesk/panels.py" line="383"/>
        <source>选用此人</source>
        <translation>Choose this person</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="384"/>
        <source>新建来访人并取号</source>
        <translation>New visitor and issue</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="385"/>
        <source>列出的都不是这位来访人：为其新建记录后取号</source>
        <translation>None of those listed is this visitor: create a new record, then issue the ticket</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="400"/>
        <source>选择业务取号</source>
        <translation>Choose a service to take a ticket</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="408"/>
        <source>预约（Ctrl+Y）</source>
        <translation>Appointments (Ctrl+Y)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="409"/>
        <source>预约登记、预约签到取号、取消预约</source>
        <translation>Book appointments, check in with an appointment, cancel appointments</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="415"/>
        <source>正在读取业务目录…</source>
        <translation>Reading the service list…</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="467"/>
        <location filename="../../ui/frontdesk/panels.py" line="516"/>
        <source>当前号码</source>
        <translation>Current number</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="468"/>
        <source>暂无</source>
        <translation>None yet</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="477"/>
        <location filename="../../ui/frontdesk/panels.py" line="526"/>
        <source>尚未取号</source>
        <translation>No ticket yet</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="479"/>
        <source>填写来访人信息（均可不填），再点选业务，即取号并打印排队票。</source>
        <translation>Fill in the visitor&apos;s details (all optional), then click a service to take a ticket and print it.</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="491"/>
        <source>重打（Ctrl+R）</source>
        <translation>Reprint (Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/workspace.py" line="360"/>
        <source>无法读取业务目录，请检查网络后重试。</source>
        <translation>Cannot read the service list; check the network and try again.</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/workspace.py" line="367"/>
        <source>社会治理服务中心</source>
        <translation>Social Governance Service Centre</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="441"/>
        <source>尚未配置任何业务，请联系系统管理员。</source>
        <translation>No services have been set up; please contact the system administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="246"/>
        <source>大厅共 {n} 人等候</source>
        <translation>{n} waiting in the hall</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="300"/>
        <source>{n} 号</source>
        <translation>{n}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="299"/>
        <source>请到 {windows}窗口办理</source>
        <translation>Please go to window {windows}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/workspace.py" line="458"/>
        <source>已有 {n} 条同名来访人记录，取号时请核对（Ctrl+F 可查找）</source>
        <translation>{n} visitor records have this name; check when issuing (Ctrl+F to search)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="102"/>
        <source>已输入 {n}/18 位</source>
        <translation>{n}/18 digits entered</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="105"/>
        <source>有效：{sex}，{age} 岁（{birth} 出生）</source>
        <translation>Valid: {sex}, {age} years old (born {birth})</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="111"/>
        <source> · 已自动选老人优先</source>
        <translation> · senior priority selected automatically</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="65"/>
        <source>有效：{kind}</source>
        <translation>Valid: {kind}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="63"/>
        <source>手机</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="64"/>
        <source>固定电话</source>
        <translation>Landline</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="260"/>
        <source>没有匹配的业务，不确定时请选“综合受理”</source>
        <translation>No matching service; if unsure, choose &quot;General reception&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="262"/>
        <source>{name}（{words}）</source>
        <translation>{name} ({words})</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="264"/>
        <source>建议：{list} · Ctrl+Enter 取首选</source>
        <translation>Suggested: {list} · Ctrl+Enter takes the first</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="267"/>
        <source> （{names}今日不可取号）</source>
        <translation> ({names} not available today)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="147"/>
        <source>正在查找…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="350"/>
        <source>没有找到匹配的来访人。新来访人请按 Esc 返回，直接填写。</source>
        <translation>No matching visitor found. For a new visitor press Esc and fill in the details.</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="352"/>
        <source>结果较多，只列出前 {n} 位，请输入更多信息缩小范围</source>
        <translation>Many results; only the first {n} are listed. Enter more details to narrow the search</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="353"/>
        <source>找到 {n} 位来访人</source>
        <translation>{n} visitor(s) found</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup.py" line="131"/>
        <source>查找失败，请稍后重试</source>
        <extracomment>A service that waited on the clerk&apos;s choice of an existing record: issue it now.</extracomment>
        <translation>The search failed; please try again later</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="159"/>
        <source>{name} 的历次来访</source>
        <translation>Previous visits of {name}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="169"/>
        <source>在办案件：</source>
        <translation>Open cases:</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="174"/>
        <source>已约调解：</source>
        <translation>Mediation booked:</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="135"/>
        <source>确认合并</source>
        <translation>Confirm merge</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="123"/>
        <source>将 {n} 条记录合并到 {name}（{visits} 次来访）的记录，再点“确认合并”</source>
        <extracomment>A service waiting for the clerk to choose an existing record or say &quot;new visitor&quot;.</extracomment>
        <translation>{n} records will be merged into the record of {name} ({visits} visits); click &quot;Confirm merge&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="129"/>
        <source>已合并 {n} 条重复记录（{t} 张排队票归入同一人）</source>
        <translation>Merged {n} duplicate records ({t} tickets now under one person)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup.py" line="202"/>
        <source>合并失败，请重试</source>
        <translation>Merge failed, please try again</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="196"/>
        <source>已登记 {number}，无需重新输入</source>
        <translation>{number} is on file, no need to enter it again</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="197"/>
        <source>已登记 {number}，有新号码再填</source>
        <translation>{number} is on file; enter a number only if it is new</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="358"/>
        <source>老来访人 {name}：来访 {n} 次</source>
        <translation>Returning visitor {name}: {n} visit(s)</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="360"/>
        <source>，上次 {date}</source>
        <translation>, last on {date}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="363"/>
        <source>（{service} {number}，{status}{outcome}）</source>
        <translation>({service} {number}, {status}{outcome})</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/workspace.py" line="540"/>
        <source>没有可用的建议业务：请输入诉求，或直接点选业务</source>
        <translation>No suggested service: enter the request, or click a service directly</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="153"/>
        <source>未取号：{problems}</source>
        <translation>No ticket taken: {problems}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="283"/>
        <source>未取号：“{name}”今日不可取号（{reason}）</source>
        <translation>No ticket: &quot;{name}&quot; is not available today ({reason})</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="152"/>
        <source>已有 {n} 条来访人记录与输入的姓名或电话相同。是同一人请选中后点“选用此人并取号”；都不是请点“新建来访人并取号”</source>
        <translation>{n} visitor records have the typed name or phone number. If it is the same person, select the record and click &quot;Choose and issue&quot;; if none is, click &quot;New visitor and issue&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/lookup_state.py" line="142"/>
        <source>选用此人并取号</source>
        <translation>Choose and issue</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="64"/>
        <source>未取号：请先核对是否为已登记的来访人</source>
        <translation>No ticket: first check whether the visitor is already registered</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="502"/>
        <source>正在取号…</source>
        <translation>Taking a ticket…</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="55"/>
        <source>未取号：{message}</source>
        <extracomment>The clerk&apos;s answers to a name mismatch, as ``queue.issue_ticket`` takes them.</extracomment>
        <translation>No ticket taken: {message}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="59"/>
        <source>未取号：无法完成取号，请重试。已输入的内容都保留着。</source>
        <translation>No ticket taken: the ticket could not be issued, please try again. Everything you entered is kept.</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="81"/>
        <source>未取号：身份证号已登记在“{recorded}”名下，与输入的姓名“{typed}”不一致</source>
        <translation>No ticket: the ID number is registered under &quot;{recorded}&quot;, not the typed name &quot;{typed}&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="83"/>
        <source>姓名与身份证号不一致</source>
        <translation>Name and ID number differ</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="84"/>
        <source>此身份证号登记的姓名是“{recorded}”，刚才输入的是“{typed}”。
请核对证件后选择：</source>
        <translation>The name registered for this ID number is &quot;{recorded}&quot;; &quot;{typed}&quot; was typed.
Check the ID card, then choose:</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="86"/>
        <source>按登记姓名“{recorded}”取号</source>
        <translation>Issue under the registered name &quot;{recorded}&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="87"/>
        <source>更正登记姓名为“{typed}”并取号</source>
        <translation>Correct the registered name to &quot;{typed}&quot; and issue</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="88"/>
        <source>返回核对</source>
        <translation>Back to check</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="100"/>
        <source>排队票未能生成：{reason}。号码已取，请口头告知来访人，处理后可按 Ctrl+R 重打</source>
        <translation>The ticket could not be produced: {reason}. The number has been taken; tell the visitor, and once fixed press Ctrl+R to reprint</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="530"/>
        <source>正在打印…</source>
        <translation>Printing…</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="508"/>
        <source>刚取的号码</source>
        <translation>Ticket just taken</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="321"/>
        <source>已取号，前面 {n} 人</source>
        <translation>Ticket taken, {n} ahead</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="322"/>
        <source>已取号，前面没有人等候</source>
        <translation>Ticket taken, nobody ahead</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/state.py" line="331"/>
        <source>优先：{label}</source>
        <translation>Priority: {label}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="110"/>
        <source>打印失败：{reason}</source>
        <translation>Printing failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="115"/>
        <source>重打 {number}：</source>
        <translation>Reprint {number}: </translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/issue_state.py" line="106"/>
        <source>排队票仍未能生成：{reason}</source>
        <translation>The ticket still could not be produced: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="517"/>
        <source>未取号</source>
        <translation>No ticket taken</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="520"/>
        <source>没有取号。已输入的内容都保留着，改正后再点选业务。</source>
        <translation>No ticket was taken. Everything you entered is kept; correct it and click a service again.</translation>
    </message>
</context>
<context>
    <name>HoldDialog</name>
    <message>
        <location filename="../../ui/window/state.py" line="274"/>
        <source>回去取材料</source>
        <translation>Fetching documents</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="275"/>
        <source>去复印证件</source>
        <translation>Copying an ID document</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="276"/>
        <source>等候家属或代理人</source>
        <translation>Waiting for family or an agent</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="277"/>
        <source>身体不适，暂时离开</source>
        <translation>Unwell, stepped away</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="312"/>
        <source>挂起 {number}</source>
        <translation>Hold {number}</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="313"/>
        <source>挂起 {number}（{service}）：暂不叫号</source>
        <translation>Hold {number} ({service}): not called for now</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="315"/>
        <source>群众回来后点“取消挂起…”，回到原来的排队位置和优先顺序。</source>
        <translation>When the visitor is back, click &quot;Take off hold…&quot;: they return to their old place and priority.</translation>
    </message>
    <message>
        <source>必须填写原因（记入操作日志）</source>
        <translation type="vanished">A reason is required (recorded in the audit log)</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="314"/>
        <source>挂起</source>
        <translation>Hold</translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="vanished">Cancel</translation>
    </message>
    <message>
        <source>原因</source>
        <translation type="vanished">Reason</translation>
    </message>
</context>
<context>
    <name>Holidays</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="187"/>
        <source>元旦</source>
        <translation>New Year&apos;s Day</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="188"/>
        <source>春节</source>
        <translation>Spring Festival</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="189"/>
        <source>清明节</source>
        <translation>Qingming Festival</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="190"/>
        <source>劳动节</source>
        <translation>Labour Day</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="191"/>
        <source>端午节</source>
        <translation>Dragon Boat Festival</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="192"/>
        <source>中秋节</source>
        <translation>Mid-Autumn Festival</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="193"/>
        <source>国庆节</source>
        <translation>National Day</translation>
    </message>
</context>
<context>
    <name>HolidaysPage</name>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="393"/>
        <source>节假日安排</source>
        <translation>Public holidays</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="394"/>
        <source>按国务院办公厅每年发布的放假安排录入。录入的年份以录入为准；保存后，未到期的法定期限会按新的日历重新计算。</source>
        <translation>Enter the holiday arrangements published each year by the General Office of the State Council. For an entered year, the entry prevails; after saving, open statutory deadlines are recalculated with the new calendar.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="404"/>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="416"/>
        <source>放假日期</source>
        <translation>Holidays</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="418"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="419"/>
        <source>起</source>
        <translation>From</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="420"/>
        <source>止</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="421"/>
        <source>天数</source>
        <translation>Days</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="435"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="439"/>
        <location filename="../../ui/centre/admin_accounts.py" line="455"/>
        <source>删除所选</source>
        <translation>Delete selected</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="440"/>
        <source>添加放假日期</source>
        <translation>Add holiday</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="441"/>
        <source>一段假期连同其中的周末和补休日一起录入，如 春节 02-15 至 02-23。</source>
        <translation>Enter a whole holiday including its weekends and compensatory days off, e.g. Spring Festival 02-15 to 02-23.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="444"/>
        <source>调休上班日</source>
        <translation>Make-up working days</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="446"/>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="447"/>
        <source>星期</source>
        <translation>Weekday</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="456"/>
        <source>添加调休上班日</source>
        <translation>Add make-up working day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="457"/>
        <source>因放假调休而上班的星期六、星期日。</source>
        <translation>Saturdays and Sundays worked in exchange for holiday days off.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="464"/>
        <source>保存本年安排</source>
        <translation>Save this year</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="481"/>
        <source>内置日历已含 {first}–{last} 年的放假安排。</source>
        <translation>The built-in calendar covers the holidays of {first}–{last}.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="482"/>
        <source>内置日历不可用。</source>
        <translation>The built-in calendar is not available.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="483"/>
        <source>已录入：{years} 年。</source>
        <translation>Entered: {years}.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="484"/>
        <source>尚未录入任何年份。</source>
        <translation>No year entered yet.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="485"/>
        <source>其他年份按周一至周五上班计算，相关期限会标注“日历未覆盖”。</source>
        <translation>Other years count Monday to Friday as working days; the deadlines concerned are marked &quot;calendar not covered&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="500"/>
        <location filename="../../ui/centre/admin_accounts.py" line="592"/>
        <source>{year} 年的安排已录入，可修改后重新保存。</source>
        <translation>The arrangements for {year} are entered; you can change them and save again.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="502"/>
        <source>内置日历已有 {year} 年的安排；在此录入将以录入为准。</source>
        <translation>The built-in calendar has the arrangements for {year}; what you enter here prevails.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="504"/>
        <source>{year} 年尚未录入，内置日历也没有这一年。</source>
        <translation>{year} is not entered, and the built-in calendar does not cover it either.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="519"/>
        <source>请填写节日名称</source>
        <translation>Please enter the name of the holiday</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="521"/>
        <source>放假结束日期早于开始日期</source>
        <translation>The holiday ends before it starts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="523"/>
        <source>放假日期应在 {year} 年内</source>
        <translation>Holiday dates must be within {year}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="525"/>
        <source>与已添加的放假日期重叠</source>
        <translation>Overlaps a holiday already added</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="527"/>
        <source>这段日期中有调休上班日</source>
        <translation>These dates include a make-up working day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="549"/>
        <source>调休上班日应在 {year} 年内</source>
        <translation>Make-up working days must be within {year}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="551"/>
        <source>{day} 本来就是工作日，调休上班日应为星期六或星期日</source>
        <translation>{day} is a working day anyway; a make-up working day must be a Saturday or Sunday</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="553"/>
        <source>{day} 已添加</source>
        <translation>{day} already added</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="555"/>
        <source>{day} 在放假日期内</source>
        <translation>{day} falls within a holiday</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="577"/>
        <source>请先添加 {year} 年的放假日期</source>
        <translation>Please add the holidays of {year} first</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="593"/>
        <source>{year} 年放假安排已保存，{n} 个未到期的期限已重新计算。</source>
        <translation>Holiday arrangements for {year} saved; {n} open deadline(s) recalculated.</translation>
    </message>
</context>
<context>
    <name>IdentityMethod</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="138"/>
        <source>现场查验身份证件</source>
        <translation>ID document checked in person</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="139"/>
        <source>镜头前出示身份证件</source>
        <translation>ID document shown on camera</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="140"/>
        <source>人脸识别核验</source>
        <translation>Facial recognition</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="141"/>
        <source>身份证阅读器读取</source>
        <translation>Read with an ID card reader</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="142"/>
        <source>调解员熟识</source>
        <translation>Known to the mediator</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="143"/>
        <source>查验授权委托书及身份证件</source>
        <translation>Power of attorney and ID document checked</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="144"/>
        <source>本中心工作人员</source>
        <translation>Member of the centre&apos;s staff</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="145"/>
        <source>其他方式</source>
        <translation>Other means</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <location filename="../../ui/mediation/session.py" line="94"/>
        <source>加入调解</source>
        <translation>Join mediation</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="106"/>
        <location filename="../../ui/mediation/session.py" line="131"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="114"/>
        <source>远程参加人员所在地点，如：某街道便民服务站</source>
        <translation>Where a remote participant is, e.g. a sub-district convenience service station</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="117"/>
        <source>（未核验）</source>
        <translation>(not verified)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="122"/>
        <source>尚未询问</source>
        <translation>Not asked yet</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="123"/>
        <source>同意录音录像</source>
        <translation>Agrees to audio and video recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="124"/>
        <source>不同意录音录像</source>
        <translation>Does not agree to audio and video recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="129"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="130"/>
        <source>人员</source>
        <translation>Person</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="132"/>
        <source>参与方式</source>
        <translation>Participation</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="133"/>
        <source>所在地点</source>
        <translation>Location</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="134"/>
        <source>身份核验方式</source>
        <translation>Identity verification</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="135"/>
        <source>录音录像</source>
        <translation>Audio and video recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="138"/>
        <source>加入</source>
        <translation>Join</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="139"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="163"/>
        <source>{agent}（{party}的代理人）</source>
        <translation>{agent} (agent of {party})</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="178"/>
        <source>远程参加的人员须先核验身份并记录核验方式（《人民法院在线调解规则》第十七条）。</source>
        <translation>Remote participants must first have their identity verified and the method recorded (Online Mediation Rules of the People&apos;s Courts, Article 17).</translation>
    </message>
</context>
<context>
    <name>KeywordsPage</name>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="253"/>
        <source>取号关键词</source>
        <translation>Ticket keywords</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="254"/>
        <source>导引台录入群众诉求时，含有这些词就提示对应的业务。每行一个关键词。</source>
        <translation>When the front desk enters a visitor&apos;s request, these words suggest the matching service. One keyword per line.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="263"/>
        <location filename="../../ui/centre/admin_accounts.py" line="325"/>
        <source>关键词</source>
        <translation>Keywords</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="266"/>
        <source>每行一个关键词，如：
拖欠工资
工伤</source>
        <translation>One keyword per line, e.g.:
拖欠工资
工伤</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="268"/>
        <source>同一个词可以属于几项业务，导引台会一并提示。没有关键词的业务不会被提示。</source>
        <translation>A word may belong to several services; the front desk suggests them all. Services without keywords are never suggested.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="270"/>
        <source>撤销修改</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="271"/>
        <source>保存全部关键词</source>
        <translation>Save all keywords</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="309"/>
        <source>{name}（{n} 个）</source>
        <translation>{name} ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="325"/>
        <source>“{name}”的关键词</source>
        <translation>Keywords for &quot;{name}&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="348"/>
        <source>关键词已保存，导引台随即按新的关键词提示。</source>
        <translation>Keywords saved; the front desk suggests services with the new keywords at once.</translation>
    </message>
</context>
<context>
    <name>KioskRatingPanel</name>
    <message>
        <location filename="../../ui/window/rating.py" line="306"/>
        <source>服务评价</source>
        <translation>Service rating</translation>
    </message>
    <message>
        <source>请输入排队号小票上的 6 位评价码（办结后 7 天内有效）</source>
        <translation type="vanished">Enter the 6-digit rating code on your queue ticket (valid for 7 days after your visit)</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="307"/>
        <source>请输入排队号小票上的 6 位评价码（办结后 7 天内有效），或吹哨事项办结时告知的 S 开头 7 位评价码（30 天内有效）</source>
        <translation>Enter the 6-character rating code on your ticket (valid 7 days after the visit), or the 7-character code starting with S given when a whistled matter was closed (valid 30 days)</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="313"/>
        <source>评价码</source>
        <translation>Rating code</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="330"/>
        <source>提交评价</source>
        <translation>Submit rating</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="349"/>
        <source>请输入评价码，然后选择星级</source>
        <translation>Enter the rating code, then choose the stars</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="369"/>
        <source>感谢您的评价！</source>
        <translation>Thank you for your rating!</translation>
    </message>
    <message>
        <source>感谢您的评价！（{number}）</source>
        <translation type="vanished">Thank you for your rating! ({number})</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../ui/login.py" line="59"/>
        <source>社会治理服务中心</source>
        <translation>Social Governance Service Centre</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="62"/>
        <location filename="../../ui/login.py" line="147"/>
        <source>登录 — {centre}</source>
        <translation>Sign in — {centre}</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="72"/>
        <location filename="../../ui/login.py" line="149"/>
        <source>工作人员登录</source>
        <translation>Staff sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="77"/>
        <source>工号或用户名</source>
        <translation>Staff number or user name</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="82"/>
        <source>密码</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="83"/>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="85"/>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="97"/>
        <source>新密码(&amp;N)：</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="98"/>
        <source>确认新密码：</source>
        <translation>Confirm new password:</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="112"/>
        <location filename="../../ui/login.py" line="201"/>
        <source>登录</source>
        <translation>Sign in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="131"/>
        <location filename="../../ui/login.py" line="188"/>
        <source>正在连接数据库…</source>
        <translation>Connecting to the database…</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="175"/>
        <source>请输入用户名</source>
        <translation>Please enter your user name</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="182"/>
        <source>请输入密码</source>
        <translation>Please enter your password</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="201"/>
        <source>正在登录…</source>
        <translation>Signing in…</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="214"/>
        <source>首次登录或密码已重置，请设置新密码（至少8位，含字母和数字）</source>
        <translation>First sign-in or password reset: please set a new password (at least 8 characters, with letters and digits)</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="215"/>
        <source>设置并登录</source>
        <translation>Set and sign in</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="223"/>
        <source>两次输入的新密码不一致</source>
        <translation>The two new passwords differ</translation>
    </message>
    <message>
        <location filename="../../ui/login.py" line="228"/>
        <source>新密码不能与临时密码相同</source>
        <translation>The new password must differ from the temporary password</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/shell.py" line="282"/>
        <source>社会治理服务中心</source>
        <translation>Social Governance Service Centre</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="305"/>
        <source>此账户没有可用的工作台</source>
        <translation>This account has no workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="306"/>
        <source>请联系管理员为账户分配角色。</source>
        <translation>Ask an administrator to give the account a role.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="323"/>
        <source>下一个工作台(&amp;N)</source>
        <translation>&amp;Next workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="326"/>
        <source>上一个工作台(&amp;P)</source>
        <translation>&amp;Previous workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="331"/>
        <source>工作台</source>
        <translation>Workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="334"/>
        <source>工作台：</source>
        <translation>Workspace:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="337"/>
        <source>切换工作台（Ctrl+PgDown / Ctrl+PgUp）</source>
        <translation>Switch workspace (Ctrl+PgDown / Ctrl+PgUp)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="346"/>
        <source>系统(&amp;S)</source>
        <translation>&amp;System</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="347"/>
        <source>设置(&amp;S)…</source>
        <translation>&amp;Settings…</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="352"/>
        <source>切换用户(&amp;U)</source>
        <translation>Switch &amp;user</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="356"/>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="361"/>
        <source>工作台(&amp;W)</source>
        <translation>&amp;Workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="367"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="368"/>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="374"/>
        <source>{name}（{username}）</source>
        <translation>{name} ({username})</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="469"/>
        <source>（模拟时间，仅供测试演示）</source>
        <translation>(simulated time, for tests and demos only)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="473"/>
        <source>● 连接中断，正在重试…</source>
        <translation>● Connection lost, retrying…</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="479"/>
        <source>● 已连接（定时刷新）</source>
        <translation>● Connected (polling)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="483"/>
        <source>● 已连接</source>
        <translation>● Connected</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="485"/>
        <source>与数据库的连接正常</source>
        <translation>The connection to the database is working</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="507"/>
        <source>窗口 {code}</source>
        <translation>Window {code}</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="509"/>
        <source>调解室 {code}</source>
        <translation>Mediation room {code}</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="511"/>
        <source>未指定窗口</source>
        <translation>no window set</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="512"/>
        <source>本机：{where}</source>
        <translation>This computer: {where}</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="531"/>
        <source>界面语言将在重新启动程序后更改。</source>
        <translation>The language will change when the program is restarted.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="534"/>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="535"/>
        <source>&lt;b&gt;{centre}&lt;/b&gt;&lt;br&gt;一站式矛盾纠纷调处化解服务大厅管理系统&lt;br&gt;版本 {version}</source>
        <translation>&lt;b&gt;{centre}&lt;/b&gt;&lt;br&gt;One-stop dispute resolution service hall&lt;br&gt;Version {version}</translation>
    </message>
</context>
<context>
    <name>MediatorPicker</name>
    <message>
        <location filename="../../ui/common/case_intake.py" line="367"/>
        <location filename="../../ui/common/case_intake.py" line="380"/>
        <source>指派调解员</source>
        <translation>Assign mediator</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="380"/>
        <source>改派调解员</source>
        <translation>Reassign mediator</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="412"/>
        <source>暂无其他可改派的调解员</source>
        <translation>No other mediator to reassign to</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="412"/>
        <source>暂无可指派的调解员</source>
        <translation>No mediator to assign</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="428"/>
        <source>已指派调解员{name}</source>
        <translation>Mediator {name} assigned</translation>
    </message>
</context>
<context>
    <name>MediatorWorkspace</name>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="630"/>
        <source>时间</source>
        <extracomment>After each reading of the open case.</extracomment>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="631"/>
        <location filename="../../ui/mediation/workspace.py" line="728"/>
        <source>调解室</source>
        <translation>Mediation rooms</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="632"/>
        <location filename="../../ui/mediation/workspace.py" line="655"/>
        <source>案号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="638"/>
        <source>今天没有预约的调解</source>
        <translation>No mediations booked today</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="644"/>
        <source>案号 / 姓名 / 拼音首字母 / 证件号 / 电话  (Ctrl+F)</source>
        <translation>Case number / name / pinyin initials / ID number / phone  (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="649"/>
        <source>我承办的</source>
        <translation>My cases</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="650"/>
        <source>全部案件</source>
        <translation>All cases</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="656"/>
        <source>当事人</source>
        <translation>Parties</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="657"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="658"/>
        <source>登记日期</source>
        <translation>Registered on</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="666"/>
        <source>今日调解</source>
        <translation>Today&apos;s mediations</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="669"/>
        <source>登记案件…</source>
        <translation>Register a case…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="673"/>
        <source>案件</source>
        <translation>Cases</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="697"/>
        <source>已报告公安机关</source>
        <translation>Reported to the police</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="703"/>
        <source>刷新  F5</source>
        <translation>Refresh  F5</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="723"/>
        <source>概况</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="724"/>
        <source>时间线</source>
        <translation>Timeline</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="725"/>
        <source>调解记录</source>
        <translation>Mediation sessions</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="726"/>
        <source>调解协议</source>
        <translation>Mediation agreement</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="727"/>
        <source>终止调解</source>
        <translation>Terminate mediation</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="729"/>
        <source>证据与文书</source>
        <translation>Evidence and documents</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="738"/>
        <source>从左侧“今日调解”或案件列表中选择案件</source>
        <translation>Select a case from &quot;Today&apos;s mediations&quot; or the case list on the left</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="845"/>
        <source>正在查找…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="867"/>
        <source>没有找到匹配的案件</source>
        <translation>No matching case found</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="867"/>
        <source>暂无案件</source>
        <translation>No cases</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="869"/>
        <source>已显示 {n} 件，向下滚动加载更多</source>
        <translation>Showing {n}; scroll down to load more</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="871"/>
        <source>共 {n} 件</source>
        <translation>{n} in total</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="901"/>
        <source>已登记案件 {number}</source>
        <translation>Case {number} registered</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="948"/>
        <source>调解员：{name}</source>
        <translation>Mediator: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="948"/>
        <source>未指派</source>
        <translation>Not assigned</translation>
    </message>
</context>
<context>
    <name>Minutes</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="169"/>
        <location filename="../../ui/mediation/session.py" line="64"/>
        <source>事由</source>
        <extracomment>Participants shown without scrolling; the minutes editor is never lower than this. Minutes headings, translatable (the keys are ``MINUTES_FIELDS``&apos;s).</extracomment>
        <translation>Matter</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="170"/>
        <location filename="../../ui/mediation/session.py" line="65"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="181"/>
        <source>告知当事人权利义务</source>
        <translation>Parties informed of their rights and obligations</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="173"/>
        <location filename="../../ui/mediation/session.py" line="68"/>
        <source>调解原则及参加人员</source>
        <translation>Mediation principles and participants</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="174"/>
        <location filename="../../ui/mediation/session.py" line="69"/>
        <source>各方当事人陈述</source>
        <translation>Statements of the parties</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="175"/>
        <location filename="../../ui/mediation/session.py" line="70"/>
        <source>核实纠纷事实</source>
        <translation>Facts of the dispute verified</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="176"/>
        <location filename="../../ui/mediation/session.py" line="71"/>
        <source>风险提示</source>
        <translation>Risk warning</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="177"/>
        <location filename="../../ui/mediation/session.py" line="72"/>
        <source>达成协议的内容</source>
        <translation>Content of the agreement reached</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="178"/>
        <location filename="../../ui/mediation/session.py" line="73"/>
        <source>调解不成的原因</source>
        <translation>Reasons mediation failed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="179"/>
        <location filename="../../ui/mediation/session.py" line="74"/>
        <source>后续途径</source>
        <translation>Further remedies</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="180"/>
        <location filename="../../ui/mediation/session.py" line="75"/>
        <source>笔录已向当事人宣读/交其阅看</source>
        <translation>The minutes were read to / shown to the parties</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="171"/>
        <location filename="../../ui/mediation/session.py" line="66"/>
        <source>告知当事人权利义务（调解员）</source>
        <translation>Inform the parties of their rights and duties (mediator)</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="172"/>
        <location filename="../../ui/mediation/session.py" line="67"/>
        <source>当事人对权利义务告知的表示</source>
        <translation>Parties&apos; response to being informed</translation>
    </message>
</context>
<context>
    <name>MinutesEditor</name>
    <message>
        <location filename="../../ui/mediation/session.py" line="240"/>
        <source>立即保存  Ctrl+S</source>
        <translation>Save now  Ctrl+S</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="243"/>
        <source>保留我的内容并保存</source>
        <translation>Keep my text and save</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="246"/>
        <source>放弃修改，载入最新稿</source>
        <translation>Discard my changes and load the latest</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="263"/>
        <source>调解笔录</source>
        <translation>Mediation minutes</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="316"/>
        <source>本次调解已结束，笔录只读（第{n}稿）</source>
        <translation>This session has ended; the minutes are read-only (draft {n})</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="319"/>
        <source>已保存 {time}（第{n}稿）</source>
        <translation>Saved {time} (draft {n})</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="322"/>
        <source>输入后自动保存</source>
        <translation>Saved automatically as you type</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="336"/>
        <source>{speaker}陈述：</source>
        <translation>Statement of {speaker}: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="374"/>
        <source>有未保存的修改，停止输入后自动保存…</source>
        <translation>Unsaved changes; they are saved when you stop typing…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="400"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="411"/>
        <source>已自动保存 {time}</source>
        <translation>Saved automatically {time}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="419"/>
        <source>笔录已被他人修改（当前第{n}稿），未保存。您输入的内容仍在编辑框中，可保留您的内容保存，或放弃修改载入最新稿。</source>
        <translation>Someone else has changed the minutes (now draft {n}); your text was not saved. It is still in the editor: keep your text and save, or discard your changes and load the latest draft.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="425"/>
        <source>保存失败：{reason}。内容仍在编辑框中，将在下次修改后重试。</source>
        <translation>Saving failed: {reason}. The text is still in the editor and will be saved again after your next change.</translation>
    </message>
</context>
<context>
    <name>NoticeDialog</name>
    <message>
        <location filename="../../ui/common/case_intake.py" line="456"/>
        <source>调解通知书</source>
        <translation>Mediation notice</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="467"/>
        <source>签收人（默认为当事人本人/单位）</source>
        <translation>Signed for by (the party by default)</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="469"/>
        <source>如：快递单号、通知情况</source>
        <translation>E.g. courier tracking number, how notified</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="476"/>
        <source>制作、打印并记录送达</source>
        <translation>Produce, print and record service</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="478"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="482"/>
        <source>受送达人</source>
        <translation>Addressee</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="483"/>
        <source>送达方式</source>
        <translation>Service method</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="484"/>
        <source>签收人</source>
        <translation>Received by</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="485"/>
        <source>送达地址</source>
        <translation>Address for service</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="486"/>
        <source>备注</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="488"/>
        <source>通知书写明下一次预约的调解时间和调解室，并告知当事人可以拒绝调解（人民调解法第十七条）。</source>
        <translation>The notice states the next booked mediation time and room, and tells the party they may refuse mediation (People&apos;s Mediation Law Art. 17).</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="503"/>
        <source>请选择受送达的当事人</source>
        <translation>Please choose the party to be served</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="518"/>
        <source>调解通知书-{name}</source>
        <translation>Mediation notice – {name}</translation>
    </message>
</context>
<context>
    <name>OperationsPage</name>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="62"/>
        <source>排队与预约</source>
        <extracomment>The call rule in words (what ``hall.domain.queue.pick_next`` does): the booked visitor&apos;s rule first, in the words the check-in promise uses.</extracomment>
        <translation>Queue and appointments</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="63"/>
        <source>叫号规则的参数、预约签到时段、各业务的预约设置和业务顺序；每次保存都记入审计日志。</source>
        <translation>Call rule parameters, check-in times, appointment settings per service and the service order; every save is audited.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="75"/>
        <source>排队规则</source>
        <translation>Queue rules</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="80"/>
        <source> 个</source>
        <translation> in a row</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="81"/>
        <location filename="../../ui/centre/admin_operations.py" line="91"/>
        <location filename="../../ui/centre/admin_operations.py" line="92"/>
        <location filename="../../ui/centre/admin_operations.py" line="106"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="82"/>
        <source>连续优先上限（0 = 不限）</source>
        <translation>Priority calls in a row, at most (0 = no limit)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="83"/>
        <source>业务顺位扣分</source>
        <translation>Penalty per preference rank</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="85"/>
        <source>保存排队规则</source>
        <translation>Save queue rules</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="89"/>
        <source>预约签到时段</source>
        <translation>Check-in times</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="93"/>
        <source>最早可提前签到</source>
        <translation>Earliest check-in before</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="94"/>
        <source>迟到不超过（仍按时优先）</source>
        <translation>Late by at most (still priority)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="96"/>
        <source>超过迟到时限仍未签到的预约记为爽约；迟到者按普通号排队。</source>
        <translation>Appointments not checked in after the late limit are recorded as missed; late visitors queue as ordinary.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="97"/>
        <source>保存签到时段</source>
        <translation>Save check-in times</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="101"/>
        <source>业务预约设置</source>
        <translation>Appointment settings per service</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="107"/>
        <source> 人</source>
        <translation> people</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="108"/>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="109"/>
        <source>开放预约</source>
        <translation>Bookable</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="111"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="112"/>
        <source>每个时段</source>
        <translation>Each slot</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="113"/>
        <source>每时段名额</source>
        <translation>Places per slot</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="114"/>
        <source>可提前预约</source>
        <translation>Bookable ahead</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="117"/>
        <source>每周预约时间：每天填一个或几个时段，如 08:30-12:00, 13:30-17:30；留空表示当天不接受预约。节假日按办公日历自动不开放。</source>
        <translation>Weekly booking hours: one or more periods per day, e.g. 08:30-12:00, 13:30-17:30; empty means no bookings that day. Holidays follow the work calendar.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="126"/>
        <source>不接受预约</source>
        <translation>No bookings</translation>
    </message>
    <message>
        <source>预约时间为工作日 08:30–12:00、13:30–17:30，已有设置的业务保留其原有时间。</source>
        <translation type="vanished">Appointment times are 08:30–12:00 and 13:30–17:30 on working days; services already set keep their times.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="133"/>
        <source>保存预约设置</source>
        <translation>Save appointment settings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="137"/>
        <source>业务顺序（取号屏与统计表的顺序）</source>
        <translation>Service order (ticket screen and statistics)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="144"/>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="145"/>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="217"/>
        <source>排队规则已保存，新叫号即按此执行。</source>
        <translation>Queue rules saved; new calls follow them.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="222"/>
        <source>签到时段已保存。</source>
        <translation>Check-in times saved.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="227"/>
        <source>请先选择业务</source>
        <translation>Please choose a service first</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="230"/>
        <source>预约设置尚在读取，请稍候再保存</source>
        <translation>The booking settings are still loading; please save again in a moment</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="238"/>
        <source>请至少填写一天的预约时间</source>
        <translation>Enter booking hours for at least one day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="245"/>
        <source>“{name}”的预约设置已保存。</source>
        <translation>Appointment settings of &quot;{name}&quot; saved.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="253"/>
        <source>请先选择要移动的业务</source>
        <translation>Please choose the service to move first</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_operations.py" line="265"/>
        <source>业务顺序已保存。</source>
        <translation>Service order saved.</translation>
    </message>
</context>
<context>
    <name>Options</name>
    <message>
        <location filename="../../ui/common/settings.py" line="86"/>
        <source>数据库地址（留空则使用本机默认数据库）</source>
        <extracomment>Every option, by key. Declared once, below.</extracomment>
        <translation>Database address (empty: this computer&apos;s default database)</translation>
    </message>
    <message>
        <location filename="../../ui/common/settings.py" line="87"/>
        <source>本机所在窗口</source>
        <translation>This computer&apos;s window</translation>
    </message>
    <message>
        <location filename="../../ui/common/settings.py" line="88"/>
        <source>本机所在调解室</source>
        <translation>This computer&apos;s mediation room</translation>
    </message>
    <message>
        <location filename="../../ui/common/settings.py" line="89"/>
        <source>打印机</source>
        <translation>Printer</translation>
    </message>
    <message>
        <location filename="../../ui/common/settings.py" line="90"/>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <location filename="../../ui/common/settings.py" line="92"/>
        <source>叫号屏使用的显示器</source>
        <translation>Screen for the call board</translation>
    </message>
    <message>
        <location filename="../../ui/common/settings.py" line="94"/>
        <source>上次登录的用户名</source>
        <translation>Last user name</translation>
    </message>
    <message>
        <location filename="../../ui/common/settings.py" line="95"/>
        <source>上次连接的中心名称</source>
        <translation>Centre last connected to</translation>
    </message>
    <message>
        <location filename="../../ui/common/settings.py" line="97"/>
        <source>刷新间隔（毫秒）</source>
        <translation>Refresh interval (ms)</translation>
    </message>
</context>
<context>
    <name>Outcomes</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="54"/>
        <source>当场办结</source>
        <translation>Resolved on the spot</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="55"/>
        <source>咨询解答</source>
        <translation>Enquiry answered</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="56"/>
        <source>登记立案（转调解）</source>
        <translation>Case registered (referred to mediation)</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="57"/>
        <source>转交职能部门</source>
        <translation>Passed to the competent department</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="58"/>
        <source>引导申请劳动仲裁</source>
        <translation>Advised to apply for labour arbitration</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="59"/>
        <source>引导诉讼</source>
        <translation>Advised to go to court</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="60"/>
        <source>材料不全，告知补正</source>
        <translation>Documents incomplete; told what to supply</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="61"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>OverviewTab</name>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="144"/>
        <source>案号</source>
        <extracomment>Read the next page when this many rows or fewer are left below the view.</extracomment>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="144"/>
        <source>纠纷类别</source>
        <translation>Dispute type</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="144"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="145"/>
        <source>风险等级</source>
        <translation>Risk level</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="145"/>
        <location filename="../../ui/mediation/workspace.py" line="283"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="145"/>
        <source>登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="146"/>
        <location filename="../../ui/mediation/workspace.py" line="161"/>
        <source>受理</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="146"/>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="146"/>
        <source>期限</source>
        <translation>Deadline</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="164"/>
        <source>开始调解</source>
        <translation>Start mediation</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="167"/>
        <source>结案归档</source>
        <translation>Close and archive</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="170"/>
        <source>回避检查</source>
        <translation>Conflict check</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="188"/>
        <source>可能激化为治安案件、刑事案件，已报告公安机关（人民调解法第二十五条）</source>
        <translation>May escalate into a public-order or criminal case; reported to the police (People&apos;s Mediation Law, Article 25)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="193"/>
        <source>报告情况：时间、报告对象、事由</source>
        <translation>Report: time, to whom, matter</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="194"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="204"/>
        <source>申请理由（可不填）</source>
        <translation>Reason for the request (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="205"/>
        <source>当事人申请更换调解员</source>
        <translation>Party requests another mediator</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="210"/>
        <source>添加代理人…</source>
        <translation>Add agent…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="213"/>
        <source>调解通知书…</source>
        <translation>Mediation notice…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="226"/>
        <source>当事人及代理人</source>
        <translation>Parties and agents</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="232"/>
        <source>纠纷事实</source>
        <translation>Facts of the dispute</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="233"/>
        <source>当事人请求</source>
        <translation>Claims of the parties</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="237"/>
        <source>转介</source>
        <translation>Referrals</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="239"/>
        <source>转介…</source>
        <translation>Refer…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="266"/>
        <source>地位</source>
        <translation>Side</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="266"/>
        <source>（已移除）</source>
        <translation>(removed)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="267"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="268"/>
        <source>姓名/名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="269"/>
        <source>证件号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="270"/>
        <source>电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="271"/>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="272"/>
        <source>代理人</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="275"/>
        <source>提示</source>
        <translation>Warnings</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="280"/>
        <source>去向</source>
        <translation>Referred to</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="281"/>
        <source>对象</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="282"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="284"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="299"/>
        <source>未受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="300"/>
        <source>未指派</source>
        <translation>Not assigned</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="303"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="342"/>
        <source>已受理</source>
        <translation>Case accepted</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="348"/>
        <source>已开始调解</source>
        <translation>Mediation started</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="354"/>
        <source>已结案归档</source>
        <translation>Case closed and archived</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="363"/>
        <source>已记录报告公安机关的情况</source>
        <translation>Report to the police recorded</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="363"/>
        <source>已取消报告标记</source>
        <translation>Report flag removed</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="373"/>
        <source>应当回避：{reasons}</source>
        <translation>Must withdraw: {reasons}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="376"/>
        <source>未发现回避事由（调解员身份信息未登记，仅按姓名比对）</source>
        <translation>No grounds for withdrawal found (the mediator&apos;s identity details are not on file; compared by name only)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="378"/>
        <source>未发现回避事由</source>
        <translation>No grounds for withdrawal found</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="388"/>
        <source>已添加代理人{name}</source>
        <translation>Agent {name} added</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="400"/>
        <source>已转介：{list}</source>
        <translation>Referred: {list}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="410"/>
        <source>已{method}调解通知书：{name}</source>
        <translation>Mediation notice {method}: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="420"/>
        <source>已按当事人申请更换调解员</source>
        <translation>Mediator replaced at the party&apos;s request</translation>
    </message>
</context>
<context>
    <name>ParticipantRole</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="128"/>
        <source>当事人</source>
        <translation>Party</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="129"/>
        <source>代理人</source>
        <translation>Agent</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="130"/>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="131"/>
        <source>记录人</source>
        <translation>Recorder</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="132"/>
        <source>翻译人员</source>
        <translation>Interpreter</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="133"/>
        <source>其他参与人员</source>
        <translation>Other participant</translation>
    </message>
</context>
<context>
    <name>PartyKind</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="67"/>
        <source>自然人</source>
        <translation>Natural person</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="68"/>
        <source>法人或其他组织</source>
        <translation>Legal person or other organisation</translation>
    </message>
</context>
<context>
    <name>PaymentMethods</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="161"/>
        <source>银行转账</source>
        <translation>Bank transfer</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="162"/>
        <source>现金</source>
        <translation>Cash</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="163"/>
        <source>微信转账</source>
        <translation>WeChat transfer</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="164"/>
        <source>支付宝转账</source>
        <translation>Alipay transfer</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="165"/>
        <source>当场履行</source>
        <translation>Performed on the spot</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <location filename="../../ui/common/pdfview.py" line="56"/>
        <source>选择左侧文书种类并点击“生成”，或选择已生成的文书，在此预览。</source>
        <translation>Choose a document type on the left and click &quot;Generate&quot;, or choose a generated document, to preview it here.</translation>
    </message>
</context>
<context>
    <name>Performance</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="118"/>
        <source>已履行</source>
        <translation>Performed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="119"/>
        <source>部分履行</source>
        <translation>Partly performed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="120"/>
        <source>未履行</source>
        <translation>Not performed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="121"/>
        <source>拒绝履行</source>
        <translation>Refused to perform</translation>
    </message>
</context>
<context>
    <name>PetitionClockPanel</name>
    <message>
        <source>信访编号</source>
        <translation type="vanished">Petition number</translation>
    </message>
    <message>
        <source>信访人</source>
        <translation type="vanished">Petitioner</translation>
    </message>
    <message>
        <source>事项状态</source>
        <translation type="vanished">Petition status</translation>
    </message>
    <message>
        <source>期限</source>
        <translation type="vanished">Deadline</translation>
    </message>
    <message>
        <source>到期日</source>
        <translation type="vanished">Due date</translation>
    </message>
    <message>
        <source>剩余</source>
        <translation type="vanished">Remaining</translation>
    </message>
    <message>
        <source>状态</source>
        <translation type="vanished">Status</translation>
    </message>
    <message>
        <source>依据</source>
        <translation type="vanished">Basis</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/clocks.py" line="87"/>
        <source>信访事项期限</source>
        <translation>Petition deadlines</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/clocks.py" line="92"/>
        <source>信访编号、事项或信访人</source>
        <translation>Petition number, matter or petitioner</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/clocks.py" line="95"/>
        <source>含已完成</source>
        <translation>Include completed</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/clocks.py" line="98"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/clocks.py" line="160"/>
        <source>{p} 件信访事项，{n} 个期限</source>
        <translation>{p} petition(s), {n} deadline(s)</translation>
    </message>
</context>
<context>
    <name>PetitionState</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="266"/>
        <source>已登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="267"/>
        <source>已受理</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="268"/>
        <source>不予受理</source>
        <translation>Not accepted</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="269"/>
        <source>已转送</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="270"/>
        <source>办理中</source>
        <translation>Being handled</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="271"/>
        <source>已出具处理意见</source>
        <translation>Opinion issued</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="272"/>
        <source>已请求复查</source>
        <translation>Review requested</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="273"/>
        <source>已作出复查意见</source>
        <translation>Review opinion issued</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="274"/>
        <source>已请求复核</source>
        <translation>Re-review requested</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="275"/>
        <source>已作出复核意见</source>
        <translation>Re-review opinion issued</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="276"/>
        <source>已办结</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>PetitionWorkspace</name>
    <message>
        <location filename="../../ui/petitions/desk.py" line="98"/>
        <source>信访期限</source>
        <translation>Petition deadlines</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="99"/>
        <source>登记来信来访</source>
        <translation>Register a letter or visit</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="100"/>
        <source>办理</source>
        <translation>Actions</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="102"/>
        <source>文书预览</source>
        <translation>Document preview</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="133"/>
        <source>登记信访事项（第十九条）</source>
        <translation>Register a petition (Art. 19)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="136"/>
        <source>书面（来信）</source>
        <translation>Written (letter)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="137"/>
        <source>口头（来访，工作人员记录）</source>
        <translation>Oral (visit, recorded by staff)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="146"/>
        <source>每行一人：姓名，住址，电话</source>
        <translation>One person per line: name, address, phone</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="153"/>
        <source>多人走访推选的代表，每行一人，不超过五人（第二十条）</source>
        <translation>Representatives chosen by a group visit, one per line, at most five (Art. 20)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="164"/>
        <source>检举、揭发、控告（第三十条：信访人身份保密）</source>
        <translation>Reporting, exposing, accusing (Art. 30: the petitioner&apos;s identity is kept confidential)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="170"/>
        <source>登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="177"/>
        <source>形式</source>
        <translation>Form</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="178"/>
        <source>渠道</source>
        <translation>Channel</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="179"/>
        <source>信访人</source>
        <translation>Petitioner</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="180"/>
        <source>人数</source>
        <translation>Number of people</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="181"/>
        <source>代表</source>
        <translation>Representatives</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="182"/>
        <source>事项类别</source>
        <translation>Category of matter</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="183"/>
        <source>请求</source>
        <translation>Claims</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="184"/>
        <source>事实</source>
        <translation>Facts</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="185"/>
        <location filename="../../ui/petitions/desk.py" line="257"/>
        <source>理由</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="187"/>
        <source>被检举人</source>
        <translation>Person reported</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="188"/>
        <source>被检举单位</source>
        <translation>Organisation reported</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="200"/>
        <source>请填写信访人的姓名、住址和联系方式（第十九条）。</source>
        <translation>Please enter the petitioner&apos;s name, address and contact details (Art. 19).</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="215"/>
        <source>已登记：{no}。应于{due}前作出受理决定并书面告知信访人（第二十二条）。</source>
        <translation>Registered: {no}. Decide on acceptance by {due} and tell the petitioner in writing (Art. 22).</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="232"/>
        <source>在“信访期限”中选择信访事项，或登记新的信访事项</source>
        <translation>Choose a petition under &quot;Petition deadlines&quot;, or register a new one</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="243"/>
        <source>受理决定（十五日内，第二十二条、第二十三条）</source>
        <translation>Acceptance decision (within fifteen days, Arts. 22 and 23)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="252"/>
        <source>转送的有权处理机关、单位</source>
        <translation>Competent authority or organisation it is forwarded to</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="253"/>
        <source>作出决定并书面告知</source>
        <translation>Decide and notify in writing</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="256"/>
        <source>决定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="258"/>
        <source>转送至</source>
        <translation>Forward to</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="262"/>
        <source>交办与延期（第二十八条、第三十四条）</source>
        <translation>Assignment and extension (Arts. 28 and 34)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="267"/>
        <source>承办人与信访事项或者信访人有直接利害关系的，写明</source>
        <translation>State it if the handler has a direct interest in the matter or the petitioner</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="268"/>
        <source>交由承办人办理</source>
        <translation>Assign to the handler</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="275"/>
        <source>延长办理期限三十日并告知信访人</source>
        <translation>Extend the handling period by thirty days and tell the petitioner</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="278"/>
        <source>承办人</source>
        <translation>Handler</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="279"/>
        <source>利害关系</source>
        <translation>Interest</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="281"/>
        <source>批准人</source>
        <translation>Approved by</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="282"/>
        <source>延期理由</source>
        <translation>Reason for extension</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="286"/>
        <source>信访处理意见书（第三十二条）</source>
        <translation>Petition handling opinion (Art. 32)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="296"/>
        <source>出具处理意见书</source>
        <translation>Issue the handling opinion</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="299"/>
        <source>处理结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="300"/>
        <source>处理意见</source>
        <translation>Opinion</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="301"/>
        <source>法律法规依据</source>
        <translation>Legal basis</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="305"/>
        <source>复查与复核（第三十五条、第三十六条）</source>
        <translation>Review and re-review (Arts. 35 and 36)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="312"/>
        <source>登记复查请求</source>
        <translation>Record review request</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="315"/>
        <source>出具复查意见</source>
        <translation>Issue review opinion</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="318"/>
        <source>登记复核请求</source>
        <translation>Record re-review request</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="321"/>
        <source>出具复核意见</source>
        <translation>Issue re-review opinion</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="326"/>
        <source>复查（复核）机关</source>
        <translation>Reviewing authority</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="327"/>
        <source>复查（复核）意见</source>
        <translation>Review opinion</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="331"/>
        <source>文书与办结</source>
        <translation>Documents and closing</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="333"/>
        <source>受理（转送）告知书</source>
        <translation>Notice of acceptance (forwarding)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="336"/>
        <source>信访处理意见书</source>
        <translation>Petition handling opinion</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="339"/>
        <source>办结</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="363"/>
        <source>（身份已隐去）</source>
        <translation>(identity withheld)</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="366"/>
        <source>检举人身份已隐去：当前账户无权查看（《信访工作条例》第三十条）。</source>
        <translation>The reporter&apos;s identity is withheld: this account may not see it (Regulations on Petition Work, Art. 30).</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="384"/>
        <source>请先选择信访事项。</source>
        <translation>Please choose a petition first.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="401"/>
        <source>已作出决定：{d}。请生成告知书交信访人。</source>
        <translation>Decision made: {d}. Please generate the notice for the petitioner.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="407"/>
        <source>已交由{n}办理。</source>
        <translation>Assigned to {n}.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="414"/>
        <source>已延长办理期限三十日，并告知信访人延期理由。</source>
        <translation>Handling period extended by thirty days; the petitioner was told why.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="421"/>
        <source>已出具处理意见书；信访人可自收到之日起三十日内请求复查（第三十五条）。</source>
        <translation>Handling opinion issued; the petitioner may request a review within thirty days of receiving it (Art. 35).</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="432"/>
        <source>已登记复查请求，应于三十日内提出复查意见。</source>
        <translation>Review request recorded; the review opinion is due within thirty days.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="433"/>
        <source>已出具复查意见；信访人可于三十日内请求复核。</source>
        <translation>Review opinion issued; the petitioner may request a re-review within thirty days.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="434"/>
        <source>已登记复核请求，应于三十日内提出复核意见。</source>
        <translation>Re-review request recorded; the re-review opinion is due within thirty days.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="435"/>
        <source>已出具复核意见。</source>
        <translation>Re-review opinion issued.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="440"/>
        <source>信访事项已办结。</source>
        <translation>Petition closed.</translation>
    </message>
    <message>
        <location filename="../../ui/petitions/desk.py" line="450"/>
        <source>已生成并登记：{t}</source>
        <translation>Generated and registered: {t}</translation>
    </message>
</context>
<context>
    <name>Presence</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="135"/>
        <source>现场</source>
        <translation>On site</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="136"/>
        <source>远程</source>
        <translation>Remote</translation>
    </message>
</context>
<context>
    <name>PriorityReasons</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="37"/>
        <source>孕妇</source>
        <translation>Pregnant woman</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="38"/>
        <source>70岁以上老人</source>
        <translation>Aged 70 or over</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="39"/>
        <source>残疾人</source>
        <translation>Person with a disability</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="40"/>
        <source>退役军人</source>
        <translation>Veteran</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="41"/>
        <source>情绪激动/需安抚</source>
        <translation>Distressed / needs calming</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="42"/>
        <source>预约</source>
        <translation>Appointment</translation>
    </message>
</context>
<context>
    <name>ProfilePage</name>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="91"/>
        <source>服务中心</source>
        <translation>Service centre</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="92"/>
        <source>人民调解委员会</source>
        <translation>People&apos;s Mediation Committee</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="95"/>
        <source>劳动人事争议仲裁委员会</source>
        <translation>Labour and Personnel Dispute Arbitration Commission</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="98"/>
        <source>信访</source>
        <translation>Petitions</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="102"/>
        <source>中心信息</source>
        <translation>Centre information</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="103"/>
        <source>名称、地址、案号格式、文书抬头和印章文字，打印文书和叫号屏都用这里的内容。案号格式用 {year} 表示年份、{seq} 表示序号（{seq:03d} 补足三位）。</source>
        <translation>Name, address, case number format, document headings and seal texts; printed documents and the call board use what is entered here. In the case number format, {year} stands for the year and {seq} for the sequence number ({seq:03d} pads it to three digits).</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="118"/>
        <source>如：（{year}）东人调字第{seq}号</source>
        <translation>e.g. ({year}) Dong Ren Tiao Zi No. {seq}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="151"/>
        <source>撤销修改</source>
        <translation>Undo changes</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="152"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="177"/>
        <source>示例：{example}</source>
        <translation>Example: {example}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="195"/>
        <source>中心信息已保存。</source>
        <translation>Centre information saved.</translation>
    </message>
</context>
<context>
    <name>PromiseCoverageWidget</name>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="38"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="42"/>
        <source>叫号时间落在取号时预计范围内的比例</source>
        <translation>Share of calls within the range estimated at issue</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="49"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="50"/>
        <source>有预计的号</source>
        <translation>Tickets with an estimate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="51"/>
        <source>在范围内</source>
        <translation>Within range</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="52"/>
        <source>早于预计</source>
        <translation>Earlier than estimated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="53"/>
        <source>晚于预计</source>
        <translation>Later than estimated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="54"/>
        <source>预计（中位）平均</source>
        <translation>Estimated (median) average</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="55"/>
        <source>实际等候平均</source>
        <translation>Actual wait average</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="86"/>
        <source>共 {n} 个号，{p} 在预计范围内</source>
        <translation>{n} tickets, {p} within the estimated range</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="87"/>
        <source>所选期间还没有带预计的已叫号</source>
        <translation>No called tickets with an estimate in this period yet</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_promise.py" line="90"/>
        <source>无法读取：{e}</source>
        <translation>Cannot read: {e}</translation>
    </message>
</context>
<context>
    <name>RatingForm</name>
    <message>
        <location filename="../../ui/window/rating.py" line="103"/>
        <source>{n} 星：{label}</source>
        <extracomment>Tags offered for a good rating (4–5 stars) and for a poor one (1–3).</extracomment>
        <translation>{n} stars: {label}</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="108"/>
        <location filename="../../ui/window/rating.py" line="156"/>
        <source>请先选择星级</source>
        <translation>Please choose a star rating first</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="121"/>
        <source>意见或建议（可不填，最多 500 字）</source>
        <translation>Comments or suggestions (optional, up to 500 characters)</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="140"/>
        <source>满意在哪里？（可多选）</source>
        <translation>What were you satisfied with? (choose any)</translation>
    </message>
    <message>
        <location filename="../../ui/window/rating.py" line="140"/>
        <source>哪里需要改进？（可多选）</source>
        <translation>What could be improved? (choose any)</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="202"/>
        <source>非常不满意</source>
        <translation>Very unsatisfied</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="203"/>
        <source>不满意</source>
        <translation>Unsatisfied</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="204"/>
        <source>一般</source>
        <translation>Average</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="205"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="206"/>
        <source>非常满意</source>
        <translation>Very satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="208"/>
        <source>态度热情</source>
        <translation>Friendly and welcoming</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="209"/>
        <source>办事高效</source>
        <translation>Quick and efficient</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="210"/>
        <source>专业耐心</source>
        <translation>Professional and patient</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="211"/>
        <source>解释清楚</source>
        <translation>Clear explanations</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="212"/>
        <source>环境舒适</source>
        <translation>Comfortable surroundings</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="213"/>
        <source>等候时间长</source>
        <translation>Long wait</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="214"/>
        <source>服务态度差</source>
        <translation>Poor attitude</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="215"/>
        <source>解释不清楚</source>
        <translation>Unclear explanations</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="216"/>
        <source>办事拖沓</source>
        <translation>Slow handling</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="217"/>
        <source>来回跑、多头跑</source>
        <translation>Sent back and forth between offices</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="218"/>
        <source>对处理结果不满意</source>
        <translation>Not satisfied with the outcome</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="219"/>
        <source>其他</source>
        <translation>Other</translation>
    </message>
</context>
<context>
    <name>RatingPanel</name>
    <message>
        <source>请您对本次服务进行评价</source>
        <translation type="vanished">Please rate our service</translation>
    </message>
    <message>
        <source>（{number}）</source>
        <translation type="vanished">({number})</translation>
    </message>
    <message>
        <source>不评价</source>
        <translation type="vanished">Skip rating</translation>
    </message>
    <message>
        <source>提交评价</source>
        <translation type="vanished">Submit rating</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation type="vanished">Close</translation>
    </message>
    <message>
        <source>感谢您的评价！</source>
        <translation type="vanished">Thank you for your rating!</translation>
    </message>
</context>
<context>
    <name>ReceiveForm</name>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="129"/>
        <source>新建收件</source>
        <translation>New application</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="146"/>
        <source>与住所相同可不填</source>
        <translation>May be left empty if the same as the domicile</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="148"/>
        <source>如：厂长、总经理</source>
        <translation>E.g. factory director, general manager</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="152"/>
        <source>每行一项：证据名称；来源（如：工资条；申请人保存）</source>
        <translation>One item per line: evidence name; source (e.g. pay slips; kept by the applicant)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="153"/>
        <source>口头申请（本委记入笔录，第二十八条）</source>
        <translation>Oral application (recorded by the commission, Art. 28)</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="159"/>
        <source>劳动者姓名</source>
        <translation>Worker&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="160"/>
        <source>公民身份号码</source>
        <translation>Citizen ID number</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="161"/>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="162"/>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="163"/>
        <source>住所</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="164"/>
        <source>通讯地址</source>
        <translation>Postal address</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="165"/>
        <source>用人单位名称</source>
        <translation>Employer&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="166"/>
        <source>单位住所</source>
        <translation>Employer&apos;s address</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="167"/>
        <source>法定代表人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="168"/>
        <source>职务</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="169"/>
        <source>仲裁请求</source>
        <translation>Arbitration claims</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="170"/>
        <source>事实与理由</source>
        <translation>Facts and reasons</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="171"/>
        <source>证据和来源</source>
        <translation>Evidence and sources</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="173"/>
        <source>收件并出具回执</source>
        <translation>Receive and issue a receipt</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="218"/>
        <source>已收件：{no}，申请人 {a}，被申请人 {r}。受理决定期限至{due}。</source>
        <translation>Received: {no}, applicant {a}, respondent {r}. Acceptance decision due by {due}.</translation>
    </message>
    <message>
        <location filename="../../ui/arbitration/actions.py" line="222"/>
        <source>需一次性告知补正：</source>
        <translation>Corrections to be notified all at once:</translation>
    </message>
</context>
<context>
    <name>RecordsDialog</name>
    <message>
        <location filename="../../ui/centre/director.py" line="274"/>
        <source>明细</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="290"/>
        <source>双击一行，查看该排队号或案件本身。</source>
        <translation>Double-click a row to see that ticket or case.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director.py" line="314"/>
        <source>共 {n} 条</source>
        <translation>{n} in total</translation>
    </message>
</context>
<context>
    <name>ReferDialog</name>
    <message>
        <location filename="../../ui/common/referrals.py" line="57"/>
        <source>转介（可同时转往多处）</source>
        <extracomment>Room kinds a case is referred to, and the referral kind each one is.</extracomment>
        <translation>Referral (to several places at once if needed)</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="60"/>
        <source>去向</source>
        <translation>Referred to</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="61"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="68"/>
        <source>转介</source>
        <translation>Referrals</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="70"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="87"/>
        <source>{name}窗口</source>
        <translation>Window {name}</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="112"/>
        <source>请至少选择一个转介去向</source>
        <translation>Please choose at least one referral target</translation>
    </message>
</context>
<context>
    <name>ReferralInbox</name>
    <message>
        <location filename="../../ui/common/referrals.py" line="141"/>
        <source>案号</source>
        <translation>Case number</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="142"/>
        <source>去向</source>
        <translation>Referred to</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="143"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="144"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="145"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="153"/>
        <source>办理情况（完成时填写）</source>
        <translation>How it was handled (fill in when done)</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="154"/>
        <source>接收</source>
        <translation>Accept</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="157"/>
        <source>完成</source>
        <translation>Complete</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="161"/>
        <source>转入事项</source>
        <translation>Incoming referrals</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="211"/>
        <source>转入事项（{n}）</source>
        <translation>Incoming referrals ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="244"/>
        <source>已接收 {number} 的转介</source>
        <translation>Referral of {number} accepted</translation>
    </message>
    <message>
        <location filename="../../ui/common/referrals.py" line="253"/>
        <source>已完成 {number} 的转介</source>
        <translation>Referral of {number} completed</translation>
    </message>
</context>
<context>
    <name>ReferralKind</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="70"/>
        <source>调解室</source>
        <translation>Mediation room</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="71"/>
        <source>窗口业务</source>
        <translation>Window service</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="72"/>
        <source>职能部门</source>
        <translation>Competent department</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="73"/>
        <source>心理咨询</source>
        <translation>Counselling</translation>
    </message>
</context>
<context>
    <name>ReferralState</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="75"/>
        <source>待安排</source>
        <translation>To be arranged</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="76"/>
        <source>已安排</source>
        <translation>Arranged</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="77"/>
        <source>已完成</source>
        <translation>Completed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="78"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
</context>
<context>
    <name>RegisterCaseDialog</name>
    <message>
        <location filename="../../ui/common/case_intake.py" line="94"/>
        <source>调解登记</source>
        <translation>Mediation registration</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="114"/>
        <source>（按身份证号）</source>
        <translation>(by ID number)</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="125"/>
        <source>来自排队号 {n}</source>
        <translation>From ticket {n}</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="127"/>
        <source>已登记 {m}（沿用，不必重填）</source>
        <translation>Registered {m} (reused, no need to retype)</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="129"/>
        <source>已登记 {m}（沿用）</source>
        <translation>Registered {m} (reused)</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="131"/>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="133"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="134"/>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="135"/>
        <source>公民身份号码</source>
        <translation>Citizen ID number</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="136"/>
        <location filename="../../ui/common/case_intake.py" line="160"/>
        <source>联系电话</source>
        <translation>Contact phone</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="137"/>
        <source>职业</source>
        <translation>Occupation</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="138"/>
        <source>住址</source>
        <translation>Address</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="147"/>
        <source>统一社会信用代码 / 公民身份号码</source>
        <translation>Unified social credit code / citizen ID number</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="151"/>
        <source>如：总经理</source>
        <translation>E.g. general manager</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="152"/>
        <source>单位派来参加调解的人（可不填）</source>
        <translation>Person the organisation sends to the mediation (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="153"/>
        <source>如：人事经理</source>
        <translation>E.g. HR manager</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="154"/>
        <source>被申请人</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="156"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="157"/>
        <source>姓名/名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="158"/>
        <source>证照号码</source>
        <translation>Document number</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="159"/>
        <source>住所/住址</source>
        <translation>Domicile / address</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="161"/>
        <source>法定代表人</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="162"/>
        <source>职务</source>
        <translation>Position</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="163"/>
        <source>委托代理人</source>
        <translation>Authorised agent</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="164"/>
        <source>代理人身份</source>
        <translation>Agent&apos;s capacity</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="170"/>
        <source>纠纷的主要事实</source>
        <translation>Main facts of the dispute</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="175"/>
        <source>当事人的请求</source>
        <translation>The parties&apos; requests</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="181"/>
        <source>暂不指派</source>
        <translation>Assign later</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="186"/>
        <source>注意：该群众已有在办案件 {list}</source>
        <translation>Note: this visitor already has open cases {list}</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="194"/>
        <source>登记</source>
        <translation>Registered</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="196"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="201"/>
        <source>纠纷类别</source>
        <translation>Dispute type</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="202"/>
        <source>案件来源</source>
        <translation>Source of the case</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="207"/>
        <source>纠纷事实</source>
        <translation>Facts of the dispute</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="208"/>
        <source>当事人请求</source>
        <translation>Claims of the parties</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="209"/>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="259"/>
        <source>请填写申请人的姓名</source>
        <translation>Please enter the applicant&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/common/case_intake.py" line="262"/>
        <source>请填写纠纷的主要事实</source>
        <translation>Please enter the main facts of the dispute</translation>
    </message>
</context>
<context>
    <name>ReturnedDialog</name>
    <message>
        <location filename="../../ui/window/state.py" line="335"/>
        <source>过号回来</source>
        <translation>No-show returned</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="338"/>
        <source>{number}（{service}，{time} 过号）</source>
        <translation>{number} ({service}, no-show at {time})</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="337"/>
        <source>群众回到原来的排队位置，不需重新取号。</source>
        <translation>The visitor returns to their old place; no new ticket needed.</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="336"/>
        <source>重新排队</source>
        <translation>Queue again</translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="vanished">Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="336"/>
        <source>过号的号</source>
        <translation>No-show ticket</translation>
    </message>
</context>
<context>
    <name>RiskLevel</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="100"/>
        <source>低</source>
        <translation>Low</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="101"/>
        <source>中</source>
        <translation>Medium</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="102"/>
        <source>高（可能激化）</source>
        <translation>High (may escalate)</translation>
    </message>
</context>
<context>
    <name>Roles</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="20"/>
        <source>导引台</source>
        <translation>Front desk</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="21"/>
        <source>窗口</source>
        <translation>Window</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="22"/>
        <source>调解员</source>
        <translation>Mediator</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="23"/>
        <source>仲裁书记员</source>
        <translation>Arbitration clerk</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="24"/>
        <source>主任</source>
        <translation>Director</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="25"/>
        <source>系统管理员</source>
        <translation>System administrator</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="26"/>
        <source>吹哨调度</source>
        <translation>Whistle dispatch</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="27"/>
        <source>部门联络员</source>
        <translation>Department liaison</translation>
    </message>
</context>
<context>
    <name>RoomCalendar</name>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="50"/>
        <source>周一</source>
        <extracomment>The grid&apos;s hours: a column per hour from FIRST_HOUR to LAST_HOUR (exclusive).</extracomment>
        <translation>Mon</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="50"/>
        <source>周二</source>
        <translation>Tue</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="51"/>
        <source>周三</source>
        <translation>Wed</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="51"/>
        <source>周四</source>
        <translation>Thu</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="52"/>
        <source>周五</source>
        <translation>Fri</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="52"/>
        <source>周六</source>
        <translation>Sat</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="53"/>
        <source>周日</source>
        <translation>Sun</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="116"/>
        <source>{number}
{start}–{end}  调解员：{name}</source>
        <translation>{number}
{start}–{end}  Mediator: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="155"/>
        <source>日视图（各调解室）</source>
        <translation>Day view (all mediation rooms)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="156"/>
        <source>周视图（所选调解室）</source>
        <translation>Week view (selected room)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="164"/>
        <source>◀ 前一天</source>
        <translation>◀ Previous day</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="167"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="170"/>
        <source>后一天 ▶</source>
        <translation>Next day ▶</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="190"/>
        <source>{n}小时</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="194"/>
        <source>备注（可不填）</source>
        <translation>Note (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="195"/>
        <source>同时预约媒体室录像</source>
        <translation>Also book the media room for recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="197"/>
        <source>预约所选时段</source>
        <translation>Book the selected slot</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="203"/>
        <source>取消原因（可不填）</source>
        <translation>Reason for cancelling (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="204"/>
        <source>取消所选预约</source>
        <translation>Cancel selected booking</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="212"/>
        <source>调解室预约</source>
        <translation>Mediation room bookings</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="213"/>
        <source>调解室</source>
        <translation>Mediation room</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="217"/>
        <source>时长</source>
        <translation>Duration</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="358"/>
        <source>在表格中选择空闲时段预约本案，或选择已有预约取消。</source>
        <translation>Select a free slot in the table to book it for this case, or select a booking to cancel it.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="366"/>
        <source>{room} {start}–{end}：{number}（调解员 {name}）</source>
        <translation>{room} {start}–{end}: {number} (mediator {name})</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="368"/>
        <source>未指定</source>
        <translation>Not specified</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="372"/>
        <source>空闲：{room} {start}</source>
        <translation>Free: {room} {start}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="380"/>
        <source>正在提交…</source>
        <translation>Submitting…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="411"/>
        <source>已预约 {room} {start}–{end}</source>
        <translation>Booked {room} {start}–{end}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="415"/>
        <source>中心没有登记媒体室</source>
        <translation>The centre has no media room registered</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="429"/>
        <source>，并同时预约媒体室录像</source>
        <translation>, with the media room booked for recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/rooms.py" line="443"/>
        <source>已取消预约：{number} {start}</source>
        <translation>Booking cancelled: {number} {start}</translation>
    </message>
</context>
<context>
    <name>RoomsPage</name>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="579"/>
        <location filename="../../ui/centre/admin_catalogue.py" line="621"/>
        <source>新增房间</source>
        <translation>New room</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="580"/>
        <source>房间设置</source>
        <translation>Room settings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="581"/>
        <source>调解室</source>
        <translation>Mediation rooms</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="582"/>
        <source>调解室、心理咨询室、仲裁庭等房间。停用的房间不能再预约，已有记录保留。</source>
        <translation>Mediation rooms, counselling rooms, arbitration tribunals and other rooms. Deactivated rooms can no longer be booked; existing records are kept.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="586"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="587"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="588"/>
        <location filename="../../ui/centre/admin_catalogue.py" line="609"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="589"/>
        <location filename="../../ui/centre/admin_catalogue.py" line="610"/>
        <source>容纳人数</source>
        <translation>Capacity</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="590"/>
        <source>视频</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="590"/>
        <source>有</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="591"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="598"/>
        <source>如 r_family</source>
        <translation>e.g. r_family</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="605"/>
        <source> 人</source>
        <translation> people</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="606"/>
        <source>配备视频调解设备</source>
        <translation>Equipped for video mediation</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="607"/>
        <source>房间代码</source>
        <translation>Room code</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="608"/>
        <source>房间名称</source>
        <translation>Room name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="628"/>
        <source>房间代码应为 2-32 位小写字母、数字或下划线，以字母开头</source>
        <translation>The room code must be 2-32 lower-case letters, digits or underscores, starting with a letter</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="630"/>
        <source>房间名称不能为空</source>
        <translation>The room name cannot be empty</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="646"/>
        <source>已新增“{name}”。</source>
        <translation>&quot;{name}&quot; added.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="646"/>
        <source>“{name}”已保存。</source>
        <translation>&quot;{name}&quot; saved.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="649"/>
        <source>“{name}”已启用。</source>
        <translation>&quot;{name}&quot; activated.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="650"/>
        <source>“{name}”已停用，不能再预约。</source>
        <translation>&quot;{name}&quot; deactivated; it can no longer be booked.</translation>
    </message>
</context>
<context>
    <name>SecretBox</name>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="77"/>
        <source>“{user}”的临时密码（只显示这一次，请当面告知本人；首次登录时须改为自己的密码）：</source>
        <translation>Temporary password of &quot;{user}&quot; (shown only this once; tell the person face to face. It must be changed at the first sign-in):</translation>
    </message>
</context>
<context>
    <name>ServiceButton</name>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="121"/>
        <location filename="../../ui/frontdesk/panels.py" line="184"/>
        <source>快捷键：{keys}</source>
        <translation>Shortcut: {keys}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="127"/>
        <location filename="../../ui/frontdesk/panels.py" line="192"/>
        <source>建议</source>
        <translation>Suggested</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="168"/>
        <source>今日不可取号</source>
        <translation>Closed today</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="170"/>
        <source>等候 {n} 人</source>
        <translation>{n} waiting</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="170"/>
        <source>无人等候</source>
        <translation>Nobody waiting</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="182"/>
        <source>今日不可取号：{reason}</source>
        <translation>Not available today: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="192"/>
        <source>首选建议</source>
        <translation>Top suggestion</translation>
    </message>
    <message>
        <location filename="../../ui/frontdesk/panels.py" line="193"/>
        <source>命中：{words}</source>
        <translation>Matched: {words}</translation>
    </message>
</context>
<context>
    <name>ServicesPage</name>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="208"/>
        <location filename="../../ui/centre/admin_catalogue.py" line="271"/>
        <source>新增业务</source>
        <translation>New service</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="209"/>
        <source>业务设置</source>
        <translation>Service settings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="210"/>
        <source>业务</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="211"/>
        <source>导引台按这里的顺序显示业务。已有排队记录的业务不能删除，停用后导引台不再提供，历史记录仍保留业务名称。</source>
        <translation>The front desk shows services in this order. Services with queue records cannot be deleted; once deactivated the front desk no longer offers them, and past records keep the service name.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="215"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="216"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="217"/>
        <source>前缀</source>
        <translation>Prefix</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="218"/>
        <source>隔夜保留</source>
        <translation>Kept overnight</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="218"/>
        <source>是</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="220"/>
        <source>优先权重（分钟）</source>
        <translation>Priority weight (minutes)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="220"/>
        <source>默认</source>
        <translation>Default</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="221"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="228"/>
        <source>小写字母、数字、下划线，如 notary</source>
        <translation>Lower-case letters, digits, underscores, e.g. notary</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="232"/>
        <source>一到两个大写字母</source>
        <translation>One or two capital letters</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="235"/>
        <source>导引台按钮上的说明</source>
        <translation>Description on the front desk button</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="236"/>
        <source>当天未叫到的号次日继续有效（隔夜保留）</source>
        <translation>Numbers not called today stay valid the next day (kept overnight)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="237"/>
        <source>业务代码</source>
        <translation>Service code</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="238"/>
        <source>业务名称</source>
        <translation>Service name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="239"/>
        <source>票号前缀</source>
        <translation>Ticket prefix</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="240"/>
        <source>说明</source>
        <translation>Description</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="243"/>
        <source>优先权重：优先群众相当于多等候的分钟数，选“默认”则用全中心的默认值。</source>
        <translation>Priority weight: how many minutes of extra waiting a priority visitor counts as; &quot;Default&quot; uses the centre-wide default.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="253"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="254"/>
        <source>默认（{n}）</source>
        <translation>Default ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="272"/>
        <source>业务：{name}</source>
        <translation>Service: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="280"/>
        <source>业务代码应为 2-32 位小写字母、数字或下划线，以字母开头</source>
        <translation>The service code must be 2-32 lower-case letters, digits or underscores, starting with a letter</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="282"/>
        <source>业务名称不能为空</source>
        <translation>The service name cannot be empty</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="284"/>
        <source>票号前缀应为一到两个大写字母</source>
        <translation>The ticket prefix must be one or two capital letters</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="306"/>
        <source>已新增业务“{name}”，票号前缀 {prefix}。</source>
        <translation>Service &quot;{name}&quot; added, ticket prefix {prefix}.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="307"/>
        <source>业务“{name}”已保存。</source>
        <translation>Service &quot;{name}&quot; saved.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="310"/>
        <source>业务“{name}”已启用，导引台重新提供。</source>
        <translation>Service &quot;{name}&quot; activated; the front desk offers it again.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="311"/>
        <source>业务“{name}”已停用：导引台不再提供，历史记录保留。</source>
        <translation>Service &quot;{name}&quot; deactivated: the front desk no longer offers it; past records are kept.</translation>
    </message>
</context>
<context>
    <name>SessionMode</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="147"/>
        <source>现场调解</source>
        <translation>On-site mediation</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="148"/>
        <source>视频调解</source>
        <translation>Video mediation</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="149"/>
        <source>现场与视频结合</source>
        <translation>On site and by video</translation>
    </message>
</context>
<context>
    <name>SessionOutcome</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="151"/>
        <source>达成协议</source>
        <translation>Agreement reached</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="152"/>
        <source>调解不成</source>
        <translation>Mediation failed</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="153"/>
        <source>择期继续调解</source>
        <translation>Adjourned to a later date</translation>
    </message>
</context>
<context>
    <name>SessionTab</name>
    <message>
        <location filename="../../ui/mediation/session.py" line="83"/>
        <source>未询问</source>
        <extracomment>Short fields get a smaller editor.</extracomment>
        <translation>Not asked</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="84"/>
        <source>同意</source>
        <translation>Agrees</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="84"/>
        <source>不同意</source>
        <translation>Does not agree</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="499"/>
        <source>开始新一次调解</source>
        <translation>Start a new session</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="507"/>
        <source>已告知权利义务</source>
        <translation>Rights and obligations explained</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="510"/>
        <source>● 开始录像</source>
        <translation>● Start recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="513"/>
        <source>■ 停止录像</source>
        <translation>■ Stop recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="520"/>
        <source>结束本次调解</source>
        <translation>End this session</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="530"/>
        <source>加入调解…</source>
        <translation>Join mediation…</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="533"/>
        <source>同意录像</source>
        <translation>Agrees to recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="536"/>
        <source>不同意录像</source>
        <translation>Does not agree to recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="539"/>
        <location filename="../../ui/mediation/session.py" line="621"/>
        <source>离开</source>
        <translation>Leave</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="549"/>
        <source>调解记录</source>
        <translation>Mediation sessions</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="552"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="557"/>
        <source>参加人员</source>
        <translation>Participants</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="569"/>
        <source>本案还没有调解记录。受理后可在此开始调解，登记参加人员并制作笔录。</source>
        <translation>This case has no mediation sessions yet. Once it is accepted you can start mediation here, register the participants and take the minutes.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="614"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="615"/>
        <source>身份</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="616"/>
        <source>方式</source>
        <translation>Method</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="617"/>
        <source>远程地点</source>
        <translation>Remote location</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="618"/>
        <source>身份核验</source>
        <translation>Identity check</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="619"/>
        <source>录像同意</source>
        <translation>Recording consent</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="620"/>
        <source>加入</source>
        <translation>Join</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="638"/>
        <source>进行中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="638"/>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="639"/>
        <source>第{n}次 · {start} · {state}</source>
        <translation>Session {n} · {start} · {state}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="674"/>
        <source>未指定调解室</source>
        <translation>No mediation room set</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="675"/>
        <source>开始 {t}</source>
        <translation>Started {t}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="677"/>
        <source>结束 {t}</source>
        <translation>Ended {t}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="679"/>
        <source>● 正在录音录像</source>
        <translation>● Recording audio and video</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="699"/>
        <source>已告知权利义务 {t}</source>
        <translation>Rights and obligations explained {t}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="702"/>
        <source>告知权利义务</source>
        <translation>Explain rights and obligations</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="711"/>
        <source>正在录音录像；有人加入而未同意时将自动停止。</source>
        <translation>Recording audio and video; it stops automatically if someone joins without consenting.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="713"/>
        <source>开始录像前请先登记在场人员，并逐一询问是否同意录音录像。</source>
        <translation>Before recording, register the people present and ask each whether they agree to audio and video recording.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="716"/>
        <source>须在场人员全部同意后才能开始录像。尚未同意：{names}</source>
        <translation>Recording can start only when everyone present agrees. Not yet agreed: {names}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="719"/>
        <source>在场人员均已同意录音录像，可以开始录像。</source>
        <translation>Everyone present agrees to audio and video recording; recording can start.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="742"/>
        <source>已开始调解，请登记参加人员并告知权利义务</source>
        <translation>Mediation started; please register the participants and explain their rights and obligations</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="749"/>
        <source>已记录：告知当事人权利义务</source>
        <translation>Recorded: parties informed of their rights and obligations</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="756"/>
        <source>已开始录音录像</source>
        <translation>Audio and video recording started</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="763"/>
        <source>已停止录音录像</source>
        <translation>Audio and video recording stopped</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="771"/>
        <source>本次调解已结束</source>
        <translation>This session has ended</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="795"/>
        <source>{name}已加入调解</source>
        <translation>{name} joined the mediation</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="803"/>
        <source>已记录：{name}同意录音录像</source>
        <translation>Recorded: {name} agrees to audio and video recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="803"/>
        <source>已记录：{name}不同意录音录像</source>
        <translation>Recorded: {name} does not agree to audio and video recording</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/session.py" line="812"/>
        <source>{name}已离开</source>
        <translation>{name} left</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <location filename="../../ui/shell.py" line="148"/>
        <source>{name}（建设中）</source>
        <translation>{name} (coming soon)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="149"/>
        <source>此工作台将在后续版本中提供。</source>
        <translation>This workspace will come in a later version.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="154"/>
        <source>{name}暂不可用</source>
        <translation>{name} is not available</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="155"/>
        <source>本程序未包含此工作台（{module}）。</source>
        <translation>This installation does not include this workspace ({module}).</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="161"/>
        <source>{name}无法打开</source>
        <translation>{name} could not be opened</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="162"/>
        <source>打开工作台时出错，详情已记录在日志中。</source>
        <translation>The workspace failed to open. The details are in the log.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="167"/>
        <source>{number}号窗口 · {name}</source>
        <translation>Window {number} · {name}</translation>
    </message>
</context>
<context>
    <name>Side</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="63"/>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="64"/>
        <source>被申请人</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="65"/>
        <source>第三人</source>
        <translation>Third party</translation>
    </message>
</context>
<context>
    <name>SignMethods</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="155"/>
        <source>签名</source>
        <translation>Signature</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="156"/>
        <source>盖章</source>
        <translation>Seal</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="157"/>
        <source>按指印</source>
        <translation>Fingerprint</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="158"/>
        <source>签名并按指印</source>
        <translation>Signature and fingerprint</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="159"/>
        <source>电子签名</source>
        <translation>Electronic signature</translation>
    </message>
</context>
<context>
    <name>Source</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="96"/>
        <source>当事人申请</source>
        <translation>Application by a party</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="97"/>
        <source>主动调解</source>
        <translation>Mediation on own initiative</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="98"/>
        <source>委托移送</source>
        <translation>Referred by another body</translation>
    </message>
</context>
<context>
    <name>StaffingWidget</name>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="32"/>
        <source>明日开窗建议</source>
        <translation>Windows to open tomorrow</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="34"/>
        <source>重新计算</source>
        <translation>Recalculate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="42"/>
        <source>时段</source>
        <translation>Hour</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="43"/>
        <source>业务</source>
        <translation>Service</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="44"/>
        <source>预计来访</source>
        <translation>Expected visitors</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="45"/>
        <source>其中预约</source>
        <translation>Of which booked</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="46"/>
        <source>平均办理</source>
        <translation>Mean service time</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="47"/>
        <source>建议开窗</source>
        <translation>Windows to open</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="48"/>
        <source>八成来访人等候</source>
        <translation>Wait of 80% of visitors</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="71"/>
        <source>明日</source>
        <translation>Tomorrow</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="71"/>
        <source>下一个工作日</source>
        <translation>Next working day</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="72"/>
        <source>{which}开窗建议（{m}月{d}日 星期{w}）</source>
        <translation>{which}: windows to open ({m}/{d}, weekday {w})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="76"/>
        <source>依据：近{n}周星期{w}的取号、当日预约和各业务的办理时长；目标：八成来访人 {t} 分钟内叫号。</source>
        <translation>Based on the tickets of weekday {w} in the last {n} weeks, that day&apos;s bookings and each service&apos;s service times; target: 80% of visitors called within {t} minutes.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="81"/>
        <source>近几周的这一天没有取号记录，当日也没有预约，暂无建议。</source>
        <translation>No tickets on this weekday in recent weeks and no bookings that day: no suggestion yet.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="85"/>
        <source>最忙时段 {h}:00–{h1}:00 共需开 {w} 个窗口。</source>
        <translation>Busiest hour {h}:00–{h1}:00 needs {w} windows in all.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="88"/>
        <source>有 {n} 个时段开到上限也达不到目标。</source>
        <translation>{n} hour(s) miss the target even with every window open.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_staffing.py" line="92"/>
        <source>无法计算：{e}</source>
        <translation>Cannot calculate: {e}</translation>
    </message>
</context>
<context>
    <name>Startup</name>
    <message>
        <location filename="../../ui/app.py" line="101"/>
        <source>命令行参数有误</source>
        <translation>Invalid command-line arguments</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="137"/>
        <source>缺少中文字体</source>
        <translation>No Chinese font</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="138"/>
        <source>本机没有能显示中文的字体，程序无法正常显示。请安装中文字体后再启动，例如在 Debian / Ubuntu 上执行：sudo apt install {package}</source>
        <translation>This computer has no font for Chinese text, so the program cannot display properly. Install a Chinese font and start again, e.g. on Debian / Ubuntu: sudo apt install {package}</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="163"/>
        <source>本机默认数据库</source>
        <translation>this computer&apos;s default database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="171"/>
        <source>无法使用此数据库</source>
        <translation>This database cannot be used</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="174"/>
        <source>模拟时间设置有误</source>
        <translation>The simulated time is set wrongly</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="178"/>
        <location filename="../../ui/app.py" line="302"/>
        <source>无法连接数据库</source>
        <translation>Cannot connect to the database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="179"/>
        <source>无法打开数据库 {where}。请检查网络连接和数据库地址（系统 → 设置，或命令行参数 --db），或联系管理员。</source>
        <translation>Cannot open the database {where}. Check the network and the database address (System → Settings, or the --db option), or contact the administrator.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="184"/>
        <source>数据库地址有误</source>
        <translation>Invalid database address</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="185"/>
        <source>数据库地址“{url}”格式不正确。SQLite 请填写文件路径，PostgreSQL 请填写 postgresql://用户名:密码@主机/数据库名。</source>
        <translation>The database address &quot;{url}&quot; is not valid. For SQLite give a file path, for PostgreSQL postgresql://user:password@host/database.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="190"/>
        <source>无法打开数据库</source>
        <translation>Cannot open the database</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="191"/>
        <source>打开数据库 {where} 时出错（{error}）。详情已记录在日志中。</source>
        <translation>Opening the database {where} failed ({error}). The details are in the log.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="213"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="249"/>
        <source>首次运行：正在创建示范中心（服务项目、窗口、工作人员和近30天的办理记录），请稍候…</source>
        <translation>First start: creating the demo centre (services, windows, staff and the last 30 days of visits), please wait…</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="254"/>
        <source>无法创建示范中心</source>
        <translation>Cannot create the demo centre</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="255"/>
        <source>首次运行时创建示范中心失败，详情已记录在日志中。可以用 hall-admin demo 命令重试。</source>
        <translation>Creating the demo centre at first start failed. The details are in the log. Try again with the command hall-admin demo.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="268"/>
        <source>{number}号窗口 {name}（{code}）</source>
        <translation>window {number} {name} ({code})</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="269"/>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="270"/>
        <source>没有这个窗口</source>
        <translation>No such window</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="271"/>
        <source>本中心没有代码或编号为“{window}”的窗口。可用的窗口：{list}</source>
        <translation>This centre has no window with code or number &quot;{window}&quot;. Windows: {list}</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="468"/>
        <location filename="../../ui/app.py" line="476"/>
        <source>叫号屏不可用</source>
        <translation>Call board not available</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="469"/>
        <source>本程序未包含叫号屏模块，无法以 --board 方式启动。</source>
        <translation>This installation does not include the call board, so --board cannot be used.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="477"/>
        <source>没有区域“{area}”的窗口（已有区域：{areas}）</source>
        <translation>No window in area &quot;{area}&quot; (areas: {areas})</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="497"/>
        <source>窗口显示屏不可用</source>
        <translation>Window display not available</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="498"/>
        <source>没有代码为“{code}”的窗口（可用：{codes}）</source>
        <translation>No window with code &quot;{code}&quot; (available: {codes})</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="414"/>
        <location filename="../../ui/app.py" line="557"/>
        <source>程序无法启动</source>
        <extracomment>The database is open behind the sign-in window (:meth:`open_database_behind_login`).</extracomment>
        <translation>The program cannot start</translation>
    </message>
</context>
<context>
    <name>StatusNoticesPage</name>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="15"/>
        <source>进度查询与通知</source>
        <translation>Status &amp; notices</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="16"/>
        <source>来访人扫描排队票上的二维码查看进度；同意通知的来访人收到短信。查询页由“hall-admin serve”提供，短信由“hall-admin notify-sender”发送。</source>
        <translation>Visitors scan the QR code on the ticket to see their progress; those who agreed receive SMS notices. The status page is served by &quot;hall-admin serve&quot;, messages are sent by &quot;hall-admin notify-sender&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="18"/>
        <source>进度查询页面</source>
        <translation>Status page</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="20"/>
        <source>开放进度查询（关闭后扫码显示“暂时关闭”）</source>
        <translation>Status page open (when closed, scanning shows &quot;temporarily closed&quot;)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="26"/>
        <source>二维码地址</source>
        <translation>QR code address</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="30"/>
        <source> 人</source>
        <translation> people</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="31"/>
        <source>前面还剩几人时发“快到您了”</source>
        <translation>Send &quot;your turn is near&quot; when this many are ahead</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="33"/>
        <source>二维码只含随机查询码，不含排队号或任何个人信息。</source>
        <translation>The QR code holds only a random code, no ticket number or personal information.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="34"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="38"/>
        <source>发送失败的通知</source>
        <translation>Notices that failed</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="40"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="41"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="42"/>
        <source>排队号</source>
        <translation>Tickets</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="43"/>
        <source>发往</source>
        <translation>To</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="44"/>
        <source>尝试</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="44"/>
        <source>{n} 次</source>
        <translation>{n}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="46"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="51"/>
        <source>重新发送所选</source>
        <translation>Resend selected</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="55"/>
        <source>提前结束办理</source>
        <translation>Close early</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="59"/>
        <source>原因，如“停电检修”（会发给所有同意通知的等候者）</source>
        <translation>Reason, e.g. &quot;power maintenance&quot; (sent to every waiting visitor who agreed to notices)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="61"/>
        <source>通知所有等候者</source>
        <translation>Notify everyone waiting</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="93"/>
        <source>已保存：进度查询已开放</source>
        <translation>Saved: the status page is open</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="94"/>
        <source>已保存：进度查询已关闭</source>
        <translation>Saved: the status page is closed</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="99"/>
        <source>请先在列表中选择一条通知</source>
        <translation>Please choose a notice in the list first</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="106"/>
        <source>通知 {n} 将重新发送</source>
        <translation>Notice {n} will be sent again</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_status.py" line="112"/>
        <source>已通知 {n} 位等候的来访人</source>
        <translation>{n} waiting visitors notified</translation>
    </message>
</context>
<context>
    <name>Termination</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="167"/>
        <source>经调解，双方未能达成调解协议。依据《中华人民共和国人民调解法》第二十六条，本委员会终止调解，并告知当事人：可以依法通过仲裁、行政、司法等途径维护自己的权利。</source>
        <translation>Mediation has not led to an agreement between the parties. Under Article 26 of the People’s Mediation Law of the People’s Republic of China, this committee terminates the mediation and informs the parties that they may protect their rights according to law through arbitration, administrative or judicial channels.</translation>
    </message>
</context>
<context>
    <name>TerminationTab</name>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="457"/>
        <source>调解不成的原因及基本事实，如：被申请人不同意支付，双方分歧较大</source>
        <translation>Why mediation failed and the basic facts, e.g. the respondent refuses to pay and the parties are far apart</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="460"/>
        <location filename="../../ui/mediation/workspace.py" line="479"/>
        <source>终止调解</source>
        <translation>Terminate mediation</translation>
    </message>
    <message>
        <source>转仲裁：生成劳动人事争议仲裁申请书</source>
        <translation type="vanished">Refer to arbitration: generate a labour and personnel dispute arbitration application</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="465"/>
        <source>转仲裁：移送并生成仲裁申请（收件）</source>
        <translation>To arbitration: hand over and create the arbitration application (received)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="471"/>
        <source>劳动争议调解不成（或协议未履行）时，可移送劳动人事争议仲裁委员会，仲裁申请书由案件信息自动填写。</source>
        <translation>When mediation of a labour dispute fails (or the agreement is not performed), the case can be referred to the Labour and Personnel Dispute Arbitration Commission; the arbitration application is filled in from the case details.</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="481"/>
        <source>调解不成的原因</source>
        <translation>Reasons mediation failed</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="483"/>
        <source>已告知当事人的途径</source>
        <translation>Remedies the parties were told about</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="486"/>
        <source>转劳动人事争议仲裁</source>
        <translation>Refer to labour arbitration</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="516"/>
        <source>已终止调解：{reason}</source>
        <translation>Mediation terminated: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="518"/>
        <source>已移送：{target}</source>
        <translation>Referred: {target}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="539"/>
        <source>已终止调解，并告知当事人可通过仲裁、行政、司法等途径维护权利</source>
        <translation>Mediation terminated; the parties were told they may protect their rights through arbitration, administrative or judicial channels</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="549"/>
        <source>案件中缺少以下事项，请在申请时一次性补正：{items}</source>
        <translation>The case lacks the following; supply them all at once when applying: {items}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="552"/>
        <source>申请书要素齐全</source>
        <translation>The application is complete</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="556"/>
        <source>{commission}已收件：收件号 {number}，{state}</source>
        <translation>{commission} received it: receipt no. {number}, {state}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="558"/>
        <source>；一次性补正：{items}</source>
        <translation>; supplement at once: {items}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="561"/>
        <source>已移送{commission}，仲裁申请已收件（收件号 {number}），书记员可直接受理审查</source>
        <translation>Handed over to {commission}; the arbitration application is received (receipt no. {number}) and the clerk can review it for acceptance</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="573"/>
        <source>（未填）</source>
        <translation>(not filled in)</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="576"/>
        <source>劳动人事争议仲裁申请书</source>
        <translation>Labour and personnel dispute arbitration application</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="576"/>
        <source>致：</source>
        <translation>To: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="577"/>
        <source>申请人：</source>
        <translation>Applicant: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="578"/>
        <source>性别：</source>
        <translation>Sex: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="578"/>
        <source>出生日期：</source>
        <translation>Date of birth: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="579"/>
        <source>民族：</source>
        <translation>Ethnicity: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="580"/>
        <source>公民身份号码：</source>
        <translation>Citizen ID number: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="581"/>
        <source>职业：</source>
        <translation>Occupation: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="581"/>
        <source>工作单位：</source>
        <translation>Employer: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="582"/>
        <location filename="../../ui/mediation/workspace.py" line="584"/>
        <source>住所：</source>
        <translation>Address: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="582"/>
        <location filename="../../ui/mediation/workspace.py" line="584"/>
        <source>联系电话：</source>
        <translation>Phone: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="583"/>
        <source>被申请人：</source>
        <translation>Respondent: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="585"/>
        <source>法定代表人：</source>
        <translation>Legal representative: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="585"/>
        <source>职务：</source>
        <translation>Position: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="586"/>
        <source>统一社会信用代码：</source>
        <translation>Unified social credit code: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="588"/>
        <source>申请人</source>
        <translation>Applicant</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="588"/>
        <source>被申请人</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="589"/>
        <source>{who}委托代理人：</source>
        <translation>{who}&apos;s authorised agent: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="590"/>
        <source>仲裁请求：</source>
        <translation>Claims: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="590"/>
        <source>事实和理由：</source>
        <translation>Facts and reasons: </translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="592"/>
        <source>来源：{committee}调解案件{number}，调解不成原因：{reason}</source>
        <translation>Source: mediation case {number} of {committee}; why mediation failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="597"/>
        <source>证据材料：</source>
        <translation>Evidence: </translation>
    </message>
    <message>
        <source>已移送{commission}，仲裁申请书已生成</source>
        <translation type="vanished">Referred to {commission}; arbitration application generated</translation>
    </message>
</context>
<context>
    <name>TicketDialog</name>
    <message>
        <location filename="../../ui/window/dialogs.py" line="137"/>
        <source>必须填写原因（记入操作日志）</source>
        <translation>A reason is required (recorded in the audit log)</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="139"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="88"/>
        <source>取消</source>
        <extracomment>The style of the note under the form, in ``palette.style`` terms (``None``: as the dialog&apos;s text).</extracomment>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>TicketPrinter</name>
    <message>
        <location filename="../../ui/common/printing.py" line="120"/>
        <source>本机缺少 Qt PDF 组件，无法打印，请联系管理员</source>
        <extracomment>Rasterise tickets at no more than this resolution: a thermal head prints 203 dpi, and a 1200 dpi &quot;printer&quot; (a PDF file) would need a huge image.</extracomment>
        <translation>The Qt PDF component is missing on this computer, so nothing can be printed; please contact the administrator</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="127"/>
        <source>排队票文件无法读取</source>
        <translation>The ticket file cannot be read</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="165"/>
        <source>打印排队票</source>
        <translation>Print ticket</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="206"/>
        <source>无法开始打印，请检查打印机是否开机、是否缺纸</source>
        <translation>Printing cannot start; check that the printer is on and has paper</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="211"/>
        <source>打印机拒绝了下一页</source>
        <translation>The printer refused the next page</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="216"/>
        <source>排队票页面无法绘制</source>
        <translation>The ticket page cannot be drawn</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="240"/>
        <source>未检测到打印机，排队票已保存为 PDF：{path}</source>
        <translation>No printer found; the ticket has been saved as PDF: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="242"/>
        <source>打印机“{printer}”不可用，排队票已保存为 PDF：{path}</source>
        <translation>Printer &quot;{printer}&quot; is not available; the ticket has been saved as PDF: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="246"/>
        <source>默认打印机</source>
        <translation>Default printer</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="250"/>
        <location filename="../../ui/common/printing.py" line="280"/>
        <source>已发送到打印机“{printer}”</source>
        <translation>Sent to printer &quot;{printer}&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="254"/>
        <source>打印系统出错</source>
        <translation>Printing system error</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="255"/>
        <source>打印失败：{reason}。排队票已保存为 PDF：{path}</source>
        <translation>Printing failed: {reason}. The ticket has been saved as PDF: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="279"/>
        <source>已取消打印，号码仍然有效，可按 Ctrl+R 重打</source>
        <translation>Printing cancelled; the number is still valid, press Ctrl+R to reprint</translation>
    </message>
    <message>
        <location filename="../../ui/common/printing.py" line="288"/>
        <source>无法打印，也无法保存排队票 PDF（{reason}）。号码仍然有效，请口头告知来访人</source>
        <translation>Cannot print, and cannot save the ticket as PDF either ({reason}). The number is still valid; please tell the visitor</translation>
    </message>
</context>
<context>
    <name>TicketStatus</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="44"/>
        <source>等候中</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="45"/>
        <source>已叫号</source>
        <translation>Called</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="46"/>
        <source>办理中</source>
        <translation>Being served</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="47"/>
        <source>已办结</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="48"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="49"/>
        <source>已转移</source>
        <translation>Transferred</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="50"/>
        <source>已取消</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="51"/>
        <source>已失效</source>
        <translation>Expired</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="52"/>
        <source>已挂起</source>
        <translation>On hold</translation>
    </message>
</context>
<context>
    <name>TimelineTab</name>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="430"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="431"/>
        <source>经办人</source>
        <translation>Handled by</translation>
    </message>
    <message>
        <location filename="../../ui/mediation/workspace.py" line="432"/>
        <source>内容</source>
        <translation>Content</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../ui/window/state.py" line="264"/>
        <source>不属于本窗口受理范围</source>
        <translation>Not handled at this window</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="265"/>
        <source>需要调解</source>
        <translation>Needs mediation</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="266"/>
        <source>需要心理疏导</source>
        <translation>Needs psychological counselling</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="267"/>
        <source>需要法律咨询/援助</source>
        <translation>Needs legal advice / legal aid</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="268"/>
        <source>需要劳动仲裁立案</source>
        <translation>Needs a labour arbitration filing</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="269"/>
        <source>群众要求</source>
        <translation>At the visitor&apos;s request</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="297"/>
        <source>转移 {number}</source>
        <translation>Transfer {number}</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="110"/>
        <source>选择或填写转移原因</source>
        <translation>Choose or enter the reason for the transfer</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="300"/>
        <source>群众保留原取号时间与优先顺序，无需重新排队。</source>
        <translation>The visitor keeps the original ticket time and priority; no need to queue again.</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="298"/>
        <source>将 {number}（{service}）转往其他业务</source>
        <translation>Transfer {number} ({service}) to another service</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="115"/>
        <source>转往业务</source>
        <translation>Transfer to</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="115"/>
        <source>转移原因</source>
        <translation>Reason for transfer</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="111"/>
        <source>在本窗口打印新号票交给群众</source>
        <translation>Print the new ticket at this window for the visitor</translation>
    </message>
    <message>
        <location filename="../../ui/window/dialogs.py" line="114"/>
        <source>新号票上注明原号；叫号屏和语音也会同时报出原号</source>
        <translation>The new ticket shows the old number; the board and the voice call both numbers</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="299"/>
        <source>确认转移</source>
        <translation>Confirm transfer</translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="vanished">Cancel</translation>
    </message>
</context>
<context>
    <name>UnholdDialog</name>
    <message>
        <location filename="../../ui/window/state.py" line="344"/>
        <source>取消挂起</source>
        <translation>Take off hold</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="347"/>
        <source>{number}（{service}，{time} 挂起：{reason}）</source>
        <translation>{number} ({service}, held at {time}: {reason})</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="346"/>
        <source>群众回到原来的排队位置和优先顺序，由窗口按顺序叫号。</source>
        <translation>The visitor returns to their old place and priority; the windows call in order.</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="345"/>
        <source>恢复排队</source>
        <translation>Back in the queue</translation>
    </message>
    <message>
        <source>取消</source>
        <translation type="vanished">Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="345"/>
        <source>挂起的号</source>
        <translation>Held ticket</translation>
    </message>
</context>
<context>
    <name>UsersPage</name>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="113"/>
        <location filename="../../ui/centre/admin_accounts.py" line="167"/>
        <source>新增账户</source>
        <translation>New account</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="114"/>
        <source>账户设置</source>
        <translation>Account settings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="115"/>
        <source>人员与账户</source>
        <translation>Staff and accounts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="116"/>
        <source>账户不删除，离岗人员停用即可。新账户和重置密码都会生成临时密码，只显示一次；本人首次登录时须改为自己的密码。</source>
        <translation>Accounts are never deleted; deactivate the accounts of staff who leave. New accounts and password resets produce a temporary password, shown only once; the person must change it at the first sign-in.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="124"/>
        <location filename="../../ui/centre/admin_accounts.py" line="138"/>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="125"/>
        <location filename="../../ui/centre/admin_accounts.py" line="139"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="126"/>
        <location filename="../../ui/centre/admin_accounts.py" line="147"/>
        <source>角色</source>
        <translation>Roles</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="127"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="134"/>
        <source>字母、数字、下划线、点或减号</source>
        <translation>Letters, digits, underscores, dots or hyphens</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="155"/>
        <source>重置密码</source>
        <translation>Reset password</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="156"/>
        <source>下次登录须改密码</source>
        <translation>Must change password at next sign-in</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="165"/>
        <source>账户状态：{state}</source>
        <translation>Account status: {state}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="166"/>
        <source>保存后生成临时密码。</source>
        <translation>A temporary password is generated when you save.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="168"/>
        <source>{name}（{user}）</source>
        <translation>{name} ({user})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="186"/>
        <source>用户名应为 2-32 位字母、数字、下划线、点或减号</source>
        <translation>The user name must be 2-32 letters, digits, underscores, dots or hyphens</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="188"/>
        <source>姓名不能为空</source>
        <translation>The name cannot be empty</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="190"/>
        <source>至少要勾选一个角色</source>
        <translation>Tick at least one role</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="213"/>
        <source>已新增账户“{user}”。</source>
        <translation>Account &quot;{user}&quot; added.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="213"/>
        <source>账户“{user}”已保存。</source>
        <translation>Account &quot;{user}&quot; saved.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="216"/>
        <source>账户“{user}”已启用。</source>
        <translation>Account &quot;{user}&quot; activated.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="217"/>
        <source>账户“{user}”已停用，不能再登录。</source>
        <translation>Account &quot;{user}&quot; deactivated; it can no longer sign in.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="231"/>
        <source>已重置“{user}”的密码。</source>
        <translation>Password of &quot;{user}&quot; reset.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_accounts.py" line="244"/>
        <source>“{user}”下次登录时须修改密码。</source>
        <translation>&quot;{user}&quot; must change the password at the next sign-in.</translation>
    </message>
</context>
<context>
    <name>Validation</name>
    <message>
        <location filename="../../ui/common/validation.py" line="26"/>
        <source>请输入身份证号</source>
        <extracomment>Whole messages (the rules&apos; constants, and the words the patterns put in).</extracomment>
        <translation>Please enter the ID number</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="27"/>
        <source>身份证号应为18位</source>
        <translation>The ID number must have 18 characters</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="28"/>
        <source>15位旧身份证号已停用，请使用18位身份证号</source>
        <translation>15-digit ID numbers are no longer valid; please use the 18-character ID number</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="29"/>
        <source>身份证号只能包含数字，最后一位可以是X</source>
        <translation>An ID number has only digits; the last one may be X</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="30"/>
        <source>身份证号前6位地区码不正确</source>
        <translation>The area code (first 6 digits) of the ID number is wrong</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="31"/>
        <source>出生年份不正确</source>
        <translation>The year of birth is wrong</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="32"/>
        <source>出生月份不正确</source>
        <translation>The month of birth is wrong</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="33"/>
        <source>出生日期不是有效日期</source>
        <translation>The date of birth is not a valid date</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="34"/>
        <source>出生日期早于1850年</source>
        <translation>The date of birth is before 1850</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="35"/>
        <source>出生日期晚于今天</source>
        <translation>The date of birth is after today</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="37"/>
        <source>请输入统一社会信用代码</source>
        <translation>Please enter the unified social credit code</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="38"/>
        <source>统一社会信用代码应为18位</source>
        <translation>The unified social credit code must have 18 characters</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="40"/>
        <source>请输入电话号码</source>
        <translation>Please enter a phone number</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="41"/>
        <source>电话号码只能包含数字</source>
        <translation>A phone number has only digits</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="42"/>
        <source>手机号码应为11位</source>
        <translation>A mobile number has 11 digits</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="43"/>
        <source>手机号码应以13至19开头</source>
        <translation>A mobile number starts with 13 to 19</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="44"/>
        <source>电话号码格式不正确</source>
        <translation>The phone number is not in a valid format</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="46"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="47"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="48"/>
        <source>含有控制字符（如换行、制表符或空字符）</source>
        <translation>contains control characters (such as line breaks, tabs or NUL)</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="49"/>
        <source>含有看不见的文字方向或零宽字符（常见于从网页复制的文字）</source>
        <translation>contains invisible direction or zero-width characters (common in text copied from web pages)</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="50"/>
        <source>含有无法识别的字符</source>
        <translation>contains characters that cannot be recognised</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="51"/>
        <source>含有表情或符号</source>
        <translation>contains emoji or symbols</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="66"/>
        <source>身份证号校验位不正确，应为{x}</source>
        <extracomment>Messages with a variable part: ``(pattern, template)``; a named group ``x`` fills ``{x}`` in the translated template. Groups named in :data:`_WORDS` are words of :data:`MESSAGES` (or of a state&apos;s labels) and are translated too; ``items`` is a list of such words joined by &quot;、&quot;; ``date`` is a date written &quot;2026年3月5日&quot; and comes out as 2026-03-05; ``case`` is translated where it is a word (其他案件), else kept (a case number); ``sub`` is a sentence of the rules, translated as a message of its own. A digit after a group&apos;s name (``date2``) keeps its kind.</extracomment>
        <translation>The check character of the ID number is wrong; it should be {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="68"/>
        <source>统一社会信用代码含有无效字符：{x}</source>
        <translation>The unified social credit code has invalid characters: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="70"/>
        <source>{what}不能为空</source>
        <translation>{what} must not be empty</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="72"/>
        <source>{what}太长（最多 {n} 个字）</source>
        <translation>{what} is too long (at most {n} characters)</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="74"/>
        <source>{what}{why}，请删除后重新输入</source>
        <translation>{what} {why}; please delete them and type again</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="76"/>
        <source>{what}{why}{x}（第 {i} 个字符），请删除后重新输入</source>
        <translation>{what} {why} {x} (character {i}); please delete it and type again</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="78"/>
        <source>{what}至少要有一个汉字或字母</source>
        <translation>{what} needs at least one Chinese character or letter</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="80"/>
        <source>{what}最多 {n} 个字，现在是 {m} 个</source>
        <translation>{what} may have at most {n} characters; it has {m}</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="82"/>
        <source>已去掉 {n} 个不能用于姓名的字符</source>
        <translation>Removed {n} characters that cannot be part of a name</translation>
    </message>
    <message>
        <location filename="../../ui/common/validation.py" line="84"/>
        <source>粘贴的内容超过 {n} 个字，已截断</source>
        <translation>The pasted text was longer than {n} characters and was cut</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="19"/>
        <source>申请方式应为书面（written）或者口头（oral）</source>
        <translation>The application must be written (written) or oral (oral)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="20"/>
        <source>申请人应为劳动者（worker）或者用人单位（employer）</source>
        <translation>The applicant must be the worker (worker) or the employer (employer)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="21"/>
        <source>请至少写明申请人的姓名（名称），才能出具收件回执</source>
        <translation>Enter at least the applicant&apos;s name before a receipt can be issued</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="22"/>
        <source>调解案件编号应为整数</source>
        <translation>The mediation case number must be a whole number</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="23"/>
        <source>案号的年度或序号不正确</source>
        <translation>The year or the sequence number of the case number is wrong</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="24"/>
        <source>案号格式须包含 {year} 和 {seq}，例如：东劳人仲案字〔{year}〕第{seq}号</source>
        <translation>The case number format must contain {year} and {seq}, for example: 东劳人仲案字〔{year}〕第{seq}号</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="26"/>
        <source>受理日期早于收件日期</source>
        <translation>The acceptance date is before the date the application was received</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="27"/>
        <source>不予受理应当说明理由（《劳动争议调解仲裁法》第二十九条）</source>
        <translation>A refusal to accept must give its reasons (Labour Dispute Mediation and Arbitration Law, Article 29)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="29"/>
        <source>发出日期晚于签收日期</source>
        <translation>The sending date is after the date of receipt</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="30"/>
        <source>签收日期早于收件日期</source>
        <translation>The date of receipt is before the date the application was received</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="31"/>
        <source>开庭通知须指明开庭场次</source>
        <translation>A hearing notice must name the hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="32"/>
        <source>只有开庭通知、延期开庭通知须指明开庭场次</source>
        <translation>Only hearing notices and postponement notices name a hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="33"/>
        <source>应诉通知书和仲裁申请书副本送达被申请人</source>
        <translation>The notice to respond and the copy of the application are served on the respondent</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="34"/>
        <source>案件尚未受理，不能送达仲裁申请书副本</source>
        <translation>The case has not been accepted yet; the copy of the application cannot be served</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="35"/>
        <source>答辩书副本送达申请人</source>
        <translation>The copy of the defence is served on the applicant</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="36"/>
        <source>案件尚未作出裁决，不能送达裁决书</source>
        <translation>No award has been made yet; the award cannot be served</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="37"/>
        <source>本案裁决书缺少第四十六条规定的内容，不能送达：请先补全裁决</source>
        <translation>The award lacks content required by Article 46 and cannot be served: complete the award first</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="38"/>
        <source>裁决书的救济期限按申请人、被申请人分别起算，请选择申请人或者被申请人</source>
        <translation>The periods to challenge an award run separately for the applicant and the respondent; choose the applicant or the respondent</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="39"/>
        <source>案件尚未制作仲裁调解书</source>
        <translation>No arbitral mediation statement has been made for the case</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="41"/>
        <source>仲裁申请书副本尚未送达被申请人</source>
        <translation>The copy of the application has not been served on the respondent yet</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="42"/>
        <source>已收到过答辩书</source>
        <translation>A defence has already been received</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="43"/>
        <source>收到答辩书的日期早于被申请人签收仲裁申请书副本的日期</source>
        <translation>The defence is dated before the respondent received the copy of the application</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="45"/>
        <source>仲裁员姓名不能为空</source>
        <translation>The arbitrator&apos;s name must not be empty</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="46"/>
        <source>同一仲裁员不能在仲裁庭中重复出现</source>
        <translation>The same arbitrator cannot sit twice on the tribunal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="47"/>
        <source>简易处理由一名仲裁员独任仲裁（《劳动争议调解仲裁法》第三十一条）</source>
        <translation>Simplified handling is by one sole arbitrator (Labour Dispute Mediation and Arbitration Law, Article 31)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="48"/>
        <source>仲裁庭由三名仲裁员组成，设首席仲裁员（《劳动争议调解仲裁法》第三十一条）</source>
        <translation>An arbitral tribunal has three arbitrators, one of them presiding (Labour Dispute Mediation and Arbitration Law, Article 31)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="50"/>
        <source>闭庭时间应晚于开庭时间</source>
        <translation>The hearing must end after it starts</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="51"/>
        <source>开庭时间应晚于现在</source>
        <translation>The hearing must start later than now</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="52"/>
        <source>仲裁申请书副本尚未送达被申请人，不能安排开庭</source>
        <translation>The copy of the application has not been served on the respondent; no hearing can be scheduled</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="53"/>
        <source>延期开庭请求人应为申请人、被申请人或者仲裁庭</source>
        <translation>A postponement is requested by the applicant, the respondent or the tribunal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="54"/>
        <source>请求延期开庭应当有正当理由（《劳动争议调解仲裁法》第三十五条）</source>
        <translation>A request to postpone a hearing needs a good reason (Labour Dispute Mediation and Arbitration Law, Article 35)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="55"/>
        <source>该次开庭不在待开庭状态，不能延期</source>
        <translation>This hearing is not pending and cannot be postponed</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="56"/>
        <source>该次开庭不在待开庭状态</source>
        <translation>This hearing is not pending</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="57"/>
        <source>开庭日尚未到，不能记录庭审</source>
        <translation>The hearing day has not come yet; the hearing cannot be recorded</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="58"/>
        <source>仲裁庭应当将开庭情况记入笔录（《劳动争议调解仲裁法》第四十条）</source>
        <translation>The tribunal must record the hearing in the minutes (Labour Dispute Mediation and Arbitration Law, Article 40)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="59"/>
        <source>本案没有该次开庭</source>
        <translation>The case has no such hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="61"/>
        <source>本案没有正在计算的仲裁审理期限</source>
        <translation>The case has no award period running</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="62"/>
        <source>案件已结案，审理期限不再计算</source>
        <translation>The case is closed; the award period no longer runs</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="63"/>
        <source>案件已结案，不能延长审理期限</source>
        <translation>The case is closed; the award period cannot be extended</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="64"/>
        <source>仲裁审理期限不能延长</source>
        <translation>The award period cannot be extended</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="65"/>
        <source>信访事项的办理期限不能延长</source>
        <translation>The petition&apos;s handling period cannot be extended</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="66"/>
        <source>延长审理期限须经劳动争议仲裁委员会主任批准（《劳动争议调解仲裁法》第四十三条）</source>
        <translation>Extending the award period needs the approval of the chair of the labour dispute arbitration commission (Labour Dispute Mediation and Arbitration Law, Article 43)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="67"/>
        <source>请写明延期理由（案情复杂需要延期）</source>
        <translation>Give the reason for the extension (a complex case needing more time)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="68"/>
        <source>《劳动争议调解仲裁法》第四十三条第一款规定延长期限不得超过十五日，本案已延长过，不能再次延长</source>
        <translation>Labour Dispute Mediation and Arbitration Law, Article 43(1) allows one extension of at most 15 days; this case has been extended already and cannot be extended again</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="70"/>
        <source>调解书应当写明仲裁请求和当事人协议的结果（《劳动争议调解仲裁法》第四十二条）</source>
        <translation>A mediation statement must state the claims and the result the parties agreed (Labour Dispute Mediation and Arbitration Law, Article 42)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="71"/>
        <source>反悔的一方应为申请人或者被申请人</source>
        <translation>The party going back on the agreement must be the applicant or the respondent</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="72"/>
        <source>调解书已经双方签收并发生法律效力</source>
        <translation>The mediation statement has been received by both parties and is legally effective</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="73"/>
        <source>裁决事项须注明对应的仲裁请求序号（index）</source>
        <translation>Each item of the award must give the number of its claim (index)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="74"/>
        <source>没有被申请人缺席的庭审记录，不能缺席裁决</source>
        <translation>No hearing record shows the respondent absent; no default award can be made</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="75"/>
        <source>未设置当地月最低工资标准，不能判断是否为终局裁决</source>
        <translation>The local monthly minimum wage is not set, so it cannot be decided whether the award is final</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="76"/>
        <source>开庭日尚未到</source>
        <translation>The hearing day has not come yet</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="77"/>
        <source>庭审笔录记载申请人到庭，不能视为撤回</source>
        <translation>The hearing record shows the applicant present; the application cannot be treated as withdrawn</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="78"/>
        <source>该次开庭已延期或取消</source>
        <translation>This hearing was postponed or cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="80"/>
        <source>回避事由应为party_or_relative、interest、other_relation、private_contact之一</source>
        <translation>The ground for recusal must be one of party_or_relative, interest, other_relation, private_contact</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="81"/>
        <source>回避申请人应为申请人、被申请人或者仲裁员本人</source>
        <translation>Recusal is applied for by the applicant, the respondent or the arbitrator</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="82"/>
        <source>请写明作出回避决定的人（仲裁委员会主任）</source>
        <translation>Enter who decided the recusal (the chair of the arbitration commission)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="83"/>
        <source>请写明回避决定的理由</source>
        <translation>Give the reasons for the recusal decision</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="84"/>
        <source>决定日期早于申请日期</source>
        <translation>The decision date is before the application date</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="85"/>
        <source>回避申请成立的，须指定替换的仲裁员</source>
        <translation>When recusal is granted, a replacement arbitrator must be named</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="87"/>
        <source>信访人数应为整数</source>
        <translation>The number of petitioners must be a whole number</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="88"/>
        <source>信访人数至少为1人</source>
        <translation>There must be at least one petitioner</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="89"/>
        <source>代表人数不能多于信访人数</source>
        <translation>There cannot be more representatives than petitioners</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="90"/>
        <source>多人采用走访形式提出共同的信访事项的，应当推选代表，代表人数不得超过5人（《信访工作条例》第二十条第三款）</source>
        <translation>People visiting together with a common matter must choose representatives, at most 5 (Regulations on Letters and Visits, Article 20(3))</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="92"/>
        <source>受理决定应为：accept、not_accept、transfer</source>
        <translation>The acceptance decision must be one of: accept, not_accept, transfer</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="93"/>
        <source>决定或告知日期早于收到日期</source>
        <translation>The decision or notification date is before the date received</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="94"/>
        <source>请写明转送、交办的有权处理机关、单位</source>
        <translation>Enter the competent authority or body the petition is transferred or assigned to</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="95"/>
        <source>不予受理应当说明理由，并告知信访人向有权处理的机关、单位提出</source>
        <translation>A refusal to accept must give its reasons and tell the petitioner which competent authority or body to turn to</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="96"/>
        <source>请指定办理人</source>
        <translation>Choose who handles the petition</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="97"/>
        <source>该信访事项未作转送决定</source>
        <translation>No transfer was decided for this petition</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="98"/>
        <source>没有正在计算的办理期限</source>
        <translation>No handling period is running</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="99"/>
        <source>延长办理期限须经本机关、单位负责人批准（《信访工作条例》第三十四条）</source>
        <translation>Extending the handling period needs the approval of the head of this authority or body (Regulations on Letters and Visits, Article 34)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="100"/>
        <source>延长办理期限应当告知信访人延期理由（《信访工作条例》第三十四条）</source>
        <translation>The petitioner must be told why the handling period is extended (Regulations on Letters and Visits, Article 34)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="101"/>
        <source>《信访工作条例》第三十四条规定延长期限不得超过30日，已延长过，不能再次延长</source>
        <translation>Regulations on Letters and Visits, Article 34 allows one extension of at most 30 days; the period has been extended already and cannot be extended again</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="103"/>
        <source>处理意见应为：予以支持（support）、作出解释说明（explain）、不予支持（not_support）</source>
        <translation>The opinion must be: support (support), explain (explain) or not support (not_support)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="104"/>
        <source>请写明处理意见</source>
        <translation>Enter the handling opinion</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="105"/>
        <source>信访处理意见书应当载明处理意见的法律法规依据（《信访工作条例》第三十二条）</source>
        <translation>The written handling opinion must state its legal basis (Regulations on Letters and Visits, Article 32)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="106"/>
        <source>送达日期早于出具日期</source>
        <translation>The service date is before the issue date</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="107"/>
        <source>意见应为 support、explain 或 not_support</source>
        <translation>The opinion must be support, explain or not_support</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="108"/>
        <source>请写明复查意见</source>
        <translation>Enter the review opinion</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="109"/>
        <source>听证结束日期早于开始日期</source>
        <translation>The hearing ends before it starts</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="110"/>
        <source>请写明复核意见</source>
        <translation>Enter the re-review opinion</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="114"/>
        <source>申请人</source>
        <translation>applicant</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="115"/>
        <source>被申请人</source>
        <translation>respondent</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="116"/>
        <source>其他当事人</source>
        <translation>other party</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="117"/>
        <source>其他案件</source>
        <translation>another case</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="119"/>
        <source>通知补正</source>
        <translation>request a correction</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="120"/>
        <source>补正申请材料</source>
        <translation>supplement the application</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="121"/>
        <source>受理</source>
        <translation>accept it</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="122"/>
        <source>不予受理</source>
        <translation>refuse to accept it</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="123"/>
        <source>送达仲裁申请书副本</source>
        <translation>serve the copy of the application</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="124"/>
        <source>收到答辩书</source>
        <translation>record a defence</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="125"/>
        <source>组成仲裁庭</source>
        <translation>form the tribunal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="126"/>
        <source>安排开庭</source>
        <translation>schedule a hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="127"/>
        <source>延期开庭</source>
        <translation>postpone the hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="128"/>
        <source>延期开庭（另行通知）</source>
        <translation>postpone the hearing (date to be notified)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="129"/>
        <source>延期续行开庭（另行通知）</source>
        <translation>postpone the resumed hearing (date to be notified)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="130"/>
        <source>记录庭审</source>
        <translation>record the hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="131"/>
        <source>变更仲裁请求</source>
        <translation>change the claims</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="132"/>
        <source>制作仲裁调解书</source>
        <translation>make a mediation statement</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="133"/>
        <source>调解书送达前反悔</source>
        <translation>record a party going back on the mediation before service</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="134"/>
        <source>裁决</source>
        <translation>make an award</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="135"/>
        <source>缺席裁决</source>
        <translation>make a default award</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="136"/>
        <source>撤回仲裁申请</source>
        <translation>withdraw the application</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="137"/>
        <source>视为撤回仲裁申请</source>
        <translation>treat the application as withdrawn</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="138"/>
        <source>结案归档</source>
        <translation>close and file the case</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="139"/>
        <source>申请仲裁员回避</source>
        <translation>apply for an arbitrator&apos;s recusal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="140"/>
        <source>作出回避决定</source>
        <translation>decide on recusal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="142"/>
        <source>须先组成仲裁庭</source>
        <translation>the tribunal must be formed first</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="143"/>
        <source>须先开庭审理</source>
        <translation>the case must be heard first</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="144"/>
        <source>须先开庭（被申请人经书面通知无正当理由拒不到庭的，可以缺席裁决）</source>
        <translation>the case must be heard first (a default award may follow when the respondent, notified in writing, fails to appear without good reason)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="145"/>
        <source>申请材料须齐备（待补正的先补正）</source>
        <translation>the application must be complete (supplement what is missing first)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="146"/>
        <source>仲裁庭只能在受理后、开庭前组成</source>
        <translation>the tribunal is formed only after acceptance and before the hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="147"/>
        <source>仲裁庭组成后、裁决前才能申请仲裁员回避</source>
        <translation>recusal can be applied for only after the tribunal is formed and before the award</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="148"/>
        <source>仲裁庭组成后、裁决前才能作出回避决定</source>
        <translation>recusal can be decided only after the tribunal is formed and before the award</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="150"/>
        <source>收件回执</source>
        <translation>receipt</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="151"/>
        <source>补正通知书</source>
        <translation>notice of correction</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="152"/>
        <source>受理通知书</source>
        <translation>notice of acceptance</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="153"/>
        <source>不予受理通知书</source>
        <translation>notice of refusal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="154"/>
        <source>应诉通知书</source>
        <translation>notice to respond</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="155"/>
        <source>仲裁申请书副本</source>
        <translation>copy of the application</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="156"/>
        <source>答辩书副本</source>
        <translation>copy of the defence</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="157"/>
        <source>仲裁庭组成通知书</source>
        <translation>notice of the tribunal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="158"/>
        <source>开庭通知书</source>
        <translation>hearing notice</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="159"/>
        <source>延期开庭通知书</source>
        <translation>postponement notice</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="160"/>
        <source>庭审笔录</source>
        <translation>hearing record</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="161"/>
        <source>延长审理期限通知书</source>
        <translation>notice of extension</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="162"/>
        <source>仲裁调解书</source>
        <translation>arbitral mediation statement</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="163"/>
        <source>仲裁裁决书</source>
        <translation>arbitral award</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="164"/>
        <source>仲裁裁决书（终局裁决事项）</source>
        <translation>arbitral award (final matters)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="165"/>
        <source>仲裁裁决书（非终局裁决事项）</source>
        <translation>arbitral award (non-final matters)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="166"/>
        <source>决定书（撤回仲裁申请）</source>
        <translation>decision (withdrawal of the application)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="167"/>
        <source>回避决定书</source>
        <translation>recusal decision</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="168"/>
        <source>口头申请笔录</source>
        <translation>record of the oral application</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="169"/>
        <source>送达回证</source>
        <translation>proof of service</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="171"/>
        <source>劳动者姓名</source>
        <translation>Worker&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="172"/>
        <source>劳动者性别</source>
        <translation>Worker&apos;s sex</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="173"/>
        <source>劳动者出生日期</source>
        <translation>Worker&apos;s date of birth</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="174"/>
        <source>劳动者公民身份号码</source>
        <translation>Worker&apos;s ID number</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="175"/>
        <source>劳动者职业</source>
        <translation>Worker&apos;s occupation</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="176"/>
        <source>劳动者工作单位</source>
        <translation>Worker&apos;s employer</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="177"/>
        <source>劳动者住所</source>
        <translation>Worker&apos;s address</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="178"/>
        <source>劳动者通讯地址</source>
        <translation>Worker&apos;s postal address</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="179"/>
        <source>劳动者联系电话</source>
        <translation>Worker&apos;s telephone</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="180"/>
        <source>用人单位名称</source>
        <translation>Employer&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="181"/>
        <source>用人单位住所</source>
        <translation>Employer&apos;s address</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="182"/>
        <source>用人单位法定代表人或者主要负责人的姓名</source>
        <translation>Name of the employer&apos;s legal representative or principal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="183"/>
        <source>用人单位法定代表人或者主要负责人的职务</source>
        <translation>Position of the employer&apos;s legal representative or principal</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="184"/>
        <source>仲裁请求</source>
        <translation>Claims</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="185"/>
        <source>仲裁请求所根据的事实、理由</source>
        <translation>Facts and reasons of the claims</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="186"/>
        <source>证据和证据来源</source>
        <translation>Evidence and its sources</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="187"/>
        <source>统一社会信用代码</source>
        <translation>Unified social credit code</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="188"/>
        <source>用人单位联系电话</source>
        <translation>Employer&apos;s telephone</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="189"/>
        <source>民族</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="190"/>
        <source>代理人</source>
        <translation>Agents</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="191"/>
        <source>开庭时间</source>
        <translation>Hearing start</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="192"/>
        <source>闭庭时间</source>
        <translation>Hearing end</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="193"/>
        <source>受送达人</source>
        <translation>Recipient</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="194"/>
        <source>签收人</source>
        <translation>Person who signed</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="195"/>
        <source>说明</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="197"/>
        <source>信访人</source>
        <translation>Petitioners</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="198"/>
        <source>代表</source>
        <translation>Representatives</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="199"/>
        <source>信访事项类别</source>
        <translation>Category of the matter</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="200"/>
        <source>请求</source>
        <translation>Request</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="201"/>
        <source>事实</source>
        <translation>Facts</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="202"/>
        <source>理由</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="203"/>
        <source>被检举单位</source>
        <translation>Body reported</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="204"/>
        <source>转送机关</source>
        <translation>Transferring authority</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="205"/>
        <source>信访人、代表姓名</source>
        <translation>Names of petitioners and representatives</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="206"/>
        <source>信访人姓名（名称）</source>
        <translation>petitioner&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="207"/>
        <source>信访人住址</source>
        <translation>petitioner&apos;s address</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="208"/>
        <source>口头信访的记录人（口头提出的信访事项应当如实记录）</source>
        <translation>who recorded the oral petition (an oral petition must be recorded faithfully)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="210"/>
        <source>转送</source>
        <translation>transfer it</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="211"/>
        <source>交办理人办理</source>
        <translation>assign it to a handler</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="212"/>
        <source>延长办理期限</source>
        <translation>extend the handling period</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="213"/>
        <source>出具信访处理意见书</source>
        <translation>issue the handling opinion</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="214"/>
        <source>请求复查</source>
        <translation>request a review</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="215"/>
        <source>作出复查意见</source>
        <translation>give the review opinion</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="216"/>
        <source>请求复核</source>
        <translation>request a re-review</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="217"/>
        <source>复核听证</source>
        <translation>hold a re-review hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="218"/>
        <source>作出复核意见</source>
        <translation>give the re-review opinion</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="219"/>
        <source>办结</source>
        <translation>conclude it</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="220"/>
        <source>复查</source>
        <translation>a review</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="221"/>
        <source>复核</source>
        <translation>a re-review</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="222"/>
        <source>第三十五条</source>
        <translation>Article 35</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="223"/>
        <source>第三十六条</source>
        <translation>Article 36</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="225"/>
        <source>开庭通知须在开庭五日前送达</source>
        <translation>the hearing notice must be served five days before the hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="226"/>
        <source>请求延期开庭须在开庭三日前提出</source>
        <translation>a postponement must be requested three days before the hearing</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="228"/>
        <source>金额不能为负数</source>
        <translation>the amount cannot be negative</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="229"/>
        <source>金额过大</source>
        <translation>the amount is too large</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="236"/>
        <source>{what}过长（最多{n}字）</source>
        <extracomment>``(pattern, template)`` as in :data:`ui.common.validation.PATTERNS`.</extracomment>
        <translation>{what} is too long (at most {n} characters)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="238"/>
        <source>{what}应为列表</source>
        <translation>{what} must be a list</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="240"/>
        <source>{what}的每一项应为键值对</source>
        <translation>Each entry of {what} must be a set of keys and values</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="242"/>
        <source>{what}须为日期时间</source>
        <translation>{what} must be a date and time</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="244"/>
        <source>没有编号为 {n} 的在用账户</source>
        <translation>There is no active account number {n}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="246"/>
        <source>未知的操作：{x}</source>
        <translation>Unknown action: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="249"/>
        <source>没有编号为 {n} 的仲裁案件</source>
        <translation>There is no arbitration case number {n}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="251"/>
        <source>没有编号为 {n} 的期限</source>
        <translation>There is no deadline number {n}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="253"/>
        <source>没有编号为 {n} 的房间</source>
        <translation>There is no room number {n}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="255"/>
        <source>没有案号或收件号为“{x}”的仲裁案件</source>
        <translation>There is no arbitration case with the case or receipt number “{x}”</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="257"/>
        <source>中心设置的仲裁案号格式有误：{why}</source>
        <translation>The centre&apos;s arbitration case number format is wrong: {why}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="259"/>
        <source>中心设置的收件号格式有误：{why}</source>
        <translation>The centre&apos;s receipt number format is wrong: {why}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="261"/>
        <source>未知的申请书事项：{x}</source>
        <translation>Unknown items of the application: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="263"/>
        <source>出生日期“{x}”格式不正确（YYYY-MM-DD）</source>
        <translation>The date of birth “{x}” is not in the form YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="265"/>
        <source>未知的案件状态：{x}</source>
        <translation>Unknown case state: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="267"/>
        <source>案件当前状态为“{state}”，不能{action}</source>
        <translation>The case is at “{state}”; you cannot {action} now</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="269"/>
        <source>案件当前状态为“{state}”，不能{action}：{hint}</source>
        <translation>The case is at “{state}”; you cannot {action} now: {hint}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="271"/>
        <source>案件当前状态为“{state}”，不能再补正申请材料</source>
        <translation>The case is at “{state}”; the application can no longer be supplemented</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="273"/>
        <source>申请材料尚待补正，不能受理：{items}</source>
        <translation>The application still needs to be supplemented and cannot be accepted: {items}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="276"/>
        <source>未知的文书种类：{x}</source>
        <translation>Unknown kind of document: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="278"/>
        <source>未知的文书种类：{x}（可用：{y}）</source>
        <translation>Unknown kind of document: {x} (available: {y})</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="280"/>
        <source>受送达人应为申请人、被申请人或者其他当事人（{x}）</source>
        <translation>The recipient must be the applicant, the respondent or another party ({x})</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="282"/>
        <source>未知的送达方式：{x}</source>
        <translation>Unknown method of service: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="284"/>
        <source>本案没有编号为 {n} 的开庭</source>
        <translation>The case has no hearing number {n}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="286"/>
        <source>案件当前状态为“{state}”，不能送达仲裁申请书副本</source>
        <translation>The case is at “{state}”; the copy of the application cannot be served</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="288"/>
        <source>本案制作的裁决书是{items}，请选择其中一份登记送达</source>
        <translation>The awards made in this case are: {items}; choose one of them to record its service</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="290"/>
        <source>{doc}已送达{side}，救济期限已自其签收之日起算</source>
        <translation>The {doc} has been served on the {side}; the period to challenge it runs from the day of receipt</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="292"/>
        <source>本案没有{doc}（裁决未按终局、非终局事项拆分）</source>
        <translation>The case has no {doc} (the award was not split into final and non-final matters)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="295"/>
        <source>没有代码为“{x}”的房间</source>
        <translation>There is no room with the code “{x}”</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="297"/>
        <source>{x}不是仲裁庭，开庭须安排在仲裁庭</source>
        <translation>{x} is not a tribunal room; hearings must be held in a tribunal room</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="299"/>
        <source>{x}在{date}{t}已安排{case}开庭，不能重复安排</source>
        <translation>{x} already has a hearing of {case} on {date} {t}; it cannot be booked twice</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="301"/>
        <source>仲裁员{x}在{date}{t}已有{case}开庭，不能同时安排</source>
        <translation>Arbitrator {x} already has a hearing of {case} on {date} {t}; they cannot sit in both</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="303"/>
        <source>开庭通知送达过晚，不能安排开庭：{sub}</source>
        <translation>The hearing notice is served too late; the hearing cannot be scheduled: {sub}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="305"/>
        <source>延期开庭请求提出过晚：{sub}</source>
        <translation>The postponement was requested too late: {sub}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="307"/>
        <source>开庭通知未在开庭五日前送达{side}，不能{action}：{sub}</source>
        <translation>The hearing notice did not reach the {side} five days before the hearing; you cannot {action}: {sub}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="310"/>
        <source>不符合要求：{why}（《劳动争议调解仲裁法》第三十五条），开庭日为{date}，最迟{date2}，实际{date3}，晚了{n}日。</source>
        <translation>Not met: {why} (Labour Dispute Mediation and Arbitration Law, Article 35); the hearing is on {date}, the latest day was {date2}, the actual day {date3}, {n} day(s) late.</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="312"/>
        <source>{side}没有收到开庭书面通知的送达回证，不能{action}（《劳动争议调解仲裁法》第三十六条）</source>
        <translation>There is no proof that the {side} received the written hearing notice; you cannot {action} (Labour Dispute Mediation and Arbitration Law, Article 36)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="315"/>
        <source>审理期限已于{date}届满，不能再延长</source>
        <translation>The award period ended on {date} and can no longer be extended</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="317"/>
        <source>仲裁请求不完整：{items}</source>
        <translation>The claims are incomplete: {items}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="319"/>
        <source>第{n}项仲裁请求的具体内容</source>
        <translation>what claim {n} asks for</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="321"/>
        <source>第{n}项仲裁请求的类别（{x}）无法识别</source>
        <translation>the kind of claim {n} ({x}) is not recognised</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="323"/>
        <source>第{n}项裁决金额：{sub}</source>
        <translation>Amount of award item {n}: {sub}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="325"/>
        <source>金额“{x}”不是有效的数字</source>
        <translation>the amount “{x}” is not a valid number</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="327"/>
        <source>金额“{x}”最多精确到分（两位小数）</source>
        <translation>the amount “{x}” has more than two decimal places</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="329"/>
        <source>没有第{n}项仲裁请求</source>
        <translation>There is no claim number {n}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="331"/>
        <source>未知的不宜简易处理情形：{x}</source>
        <translation>Unknown reason against simplified handling: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="334"/>
        <source>本案仲裁庭没有仲裁员“{x}”</source>
        <translation>The tribunal of this case has no arbitrator “{x}”</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="336"/>
        <source>对仲裁员{x}的回避申请尚未决定</source>
        <translation>The application for the recusal of arbitrator {x} has not been decided yet</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="338"/>
        <source>没有对仲裁员“{x}”待决定的回避申请</source>
        <translation>There is no pending application for the recusal of arbitrator “{x}”</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="340"/>
        <source>{x}已是本案仲裁庭成员</source>
        <translation>{x} already sits on the tribunal of this case</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="342"/>
        <source>未知的回避事由：{x}</source>
        <translation>Unknown ground for recusal: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="345"/>
        <source>没有编号为 {n} 的信访事项</source>
        <translation>There is no petition number {n}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="347"/>
        <source>没有编号为“{x}”的信访事项</source>
        <translation>There is no petition numbered “{x}”</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="349"/>
        <source>未知的信访登记事项：{x}</source>
        <translation>Unknown items of the petition record: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="351"/>
        <source>未知的信访渠道：{x}（可用：{y}）</source>
        <translation>Unknown petition channel: {x} (available: {y})</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="353"/>
        <source>信访事项尚缺：{items}（《信访工作条例》第十九条）</source>
        <translation>The petition still lacks: {items} (Regulations on Letters and Visits, Article 19)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="355"/>
        <source>中心设置的信访编号格式有误：{why}</source>
        <translation>The centre&apos;s petition number format is wrong: {why}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="357"/>
        <source>{x}与信访事项或者信访人有直接利害关系，应当回避（《信访工作条例》第二十八条第三款）</source>
        <translation>{x} has a direct interest in the matter or the petitioner and must stand aside (Regulations on Letters and Visits, Article 28(3))</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="359"/>
        <source>办理期限已于{date}届满，不能再延长</source>
        <translation>The handling period ended on {date} and can no longer be extended</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="361"/>
        <source>请求{what}的期限已于{date}届满（《信访工作条例》{art}：自收到书面答复之日起30日内）</source>
        <translation>The time to request {what} ended on {date} (Regulations on Letters and Visits, {art}: within 30 days of receiving the written reply)</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="363"/>
        <source>未知的信访事项状态：{x}</source>
        <translation>Unknown petition state: {x}</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="365"/>
        <source>信访事项当前状态为“{pstate}”，不能{action}</source>
        <translation>The petition is at “{pstate}”; you cannot {action} now</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="367"/>
        <source>{n}人采用走访形式提出共同的信访事项，应当推选代表（《信访工作条例》第二十条第三款）</source>
        <translation>{n} people visiting with a common matter must choose representatives (Regulations on Letters and Visits, Article 20(3))</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="369"/>
        <source>现有代表{n}人，请推选不超过5名代表</source>
        <translation>there are {n} representatives now; choose at most 5</translation>
    </message>
    <message>
        <location filename="../../ui/common/service_messages.py" line="371"/>
        <source>不得将信访人的检举、揭发材料以及有关情况透露或者转给被检举、揭发的人员或者单位（《信访工作条例》第三十条第三款）：“{x}”是被检举、揭发的对象</source>
        <translation>A whistle-blower&apos;s report and what concerns it must not be disclosed or passed to the person or body reported (Regulations on Letters and Visits, Article 30(3)): “{x}” is the one reported</translation>
    </message>
</context>
<context>
    <name>Weekdays</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="29"/>
        <source>星期一</source>
        <translation>Monday</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="30"/>
        <source>星期二</source>
        <translation>Tuesday</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="31"/>
        <source>星期三</source>
        <translation>Wednesday</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="32"/>
        <source>星期四</source>
        <translation>Thursday</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="33"/>
        <source>星期五</source>
        <translation>Friday</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="34"/>
        <source>星期六</source>
        <translation>Saturday</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="35"/>
        <source>星期日</source>
        <translation>Sunday</translation>
    </message>
</context>
<context>
    <name>WhistleAssessmentSection</name>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="65"/>
        <source>编号</source>
        <extracomment>Quiet time after the last whistle event before reading again.</extracomment>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="66"/>
        <location filename="../../ui/centre/director_whistle.py" line="366"/>
        <source>哨类</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="67"/>
        <location filename="../../ui/centre/director_whistle.py" line="158"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="68"/>
        <location filename="../../ui/centre/director_whistle.py" line="174"/>
        <location filename="../../ui/centre/director_whistle.py" line="367"/>
        <source>街道</source>
        <translation>Street</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="69"/>
        <location filename="../../ui/centre/director_whistle.py" line="366"/>
        <source>状态</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="70"/>
        <location filename="../../ui/centre/director_whistle.py" line="369"/>
        <source>发出</source>
        <translation>Issued</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="71"/>
        <location filename="../../ui/centre/director_whistle.py" line="176"/>
        <location filename="../../ui/centre/director_whistle.py" line="369"/>
        <source>办结</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="72"/>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="73"/>
        <location filename="../../ui/centre/director_whistle.py" line="367"/>
        <source>事项</source>
        <translation>Matter</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="144"/>
        <location filename="../../ui/centre/director_whistle.py" line="175"/>
        <source>吹哨</source>
        <translation>Whistles</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="144"/>
        <location filename="../../ui/centre/director_whistle.py" line="180"/>
        <source>办结率</source>
        <translation>Closure rate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="145"/>
        <source>按时办结率</source>
        <translation>On-time rate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="145"/>
        <source>群众满意率</source>
        <translation>Residents satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="159"/>
        <source>召集</source>
        <translation>Summoned</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="160"/>
        <source>按时报到</source>
        <translation>Reported on time</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="161"/>
        <source>按时办结</source>
        <translation>Solved on time</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="162"/>
        <location filename="../../ui/centre/director_whistle.py" line="178"/>
        <source>满意/已评</source>
        <translation>Satisfied/rated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="163"/>
        <source>督办</source>
        <translation>Escalated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="164"/>
        <source>退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="165"/>
        <source>系统得分</source>
        <translation>System score</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="166"/>
        <source>街道评价</source>
        <translation>Street rating</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="167"/>
        <location filename="../../ui/centre/director_whistle.py" line="182"/>
        <location filename="../../ui/centre/director_whistle.py" line="306"/>
        <source>加减分</source>
        <translation>Adjustments</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="168"/>
        <location filename="../../ui/centre/director_whistle.py" line="183"/>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="177"/>
        <source>吹哨准确</source>
        <translation>Well aimed</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="179"/>
        <source>吹哨质量</source>
        <translation>Whistle quality</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="181"/>
        <source>满意率</source>
        <translation>Satisfaction rate</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="188"/>
        <source>部门考核</source>
        <translation>Departments</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="188"/>
        <source>街道考核</source>
        <translation>Streets</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="197"/>
        <source>点击数字卡片或表格中的数字，可查看其对应的吹哨事项；双击事项查看详情。</source>
        <translation>Click a card or a number in the tables to see its whistles; double-click a whistle to open it.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="253"/>
        <source>{y}年{m}月 吹哨报到双向考核（当月发出的吹哨）</source>
        <translation>{y}-{m}: two-way whistle assessment (whistles issued in the month)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="257"/>
        <source>办理中 {n} 件</source>
        <translation>{n} in progress</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="266"/>
        <source>权重（设置项）：部门 报到 {r}%、办理 {s}%、满意度 {q}%，街道评价占 {share}%；街道 吹哨质量 {sq}%、办结 {sc}%、满意度 {ss}%。</source>
        <translation>Weights (settings): departments: reporting {r}%, solving {s}%, satisfaction {q}%, street rating {share}%; streets: whistle quality {sq}%, closure {sc}%, satisfaction {ss}%.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="280"/>
        <source>当月吹哨</source>
        <translation>Whistles of the month</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="282"/>
        <source>已办结的吹哨（办结率的分子，分母 {n}）</source>
        <translation>Closed whistles (numerator of the closure rate; denominator {n})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="286"/>
        <source>按时办结的部门办理（按时办结率的分子，分母 {n}）</source>
        <translation>Summons solved on time (numerator of the on-time rate; denominator {n})</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="290"/>
        <source>群众满意（4星及以上）的吹哨</source>
        <translation>Whistles residents rated 4 stars or more</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="333"/>
        <source>双击一行，查看该吹哨事项。</source>
        <translation>Double-click a row to open the whistle.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="337"/>
        <source>共 {n} 条</source>
        <translation>{n} in all</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="360"/>
        <source>报到逾期</source>
        <translation>Reported late</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="360"/>
        <source>办结逾期</source>
        <translation>Solved late</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="361"/>
        <source>督办 {n} 次</source>
        <translation>escalated {n} time(s)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="363"/>
        <source>，一案一评 {n}</source>
        <translation>, case review {n}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="367"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="368"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="368"/>
        <source>群众</source>
        <translation>Resident</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="370"/>
        <source>召集部门</source>
        <translation>Departments summoned</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="370"/>
        <source>群众满意度</source>
        <translation>Resident satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/centre/director_whistle.py" line="371"/>
        <source>吹哨事项 {n}</source>
        <translation>Whistle {n}</translation>
    </message>
</context>
<context>
    <name>WhistleAssessmentWidget</name>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="47"/>
        <source>{m}月</source>
        <translation>Month {m}</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="49"/>
        <source>查看</source>
        <translation>View</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="50"/>
        <source>导出XLSX…</source>
        <translation>Export XLSX…</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="57"/>
        <location filename="../../ui/whistle/assessment.py" line="85"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="58"/>
        <source>召集</source>
        <translation>Summoned</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="59"/>
        <source>按时报到</source>
        <translation>Reported on time</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="60"/>
        <source>按时办结</source>
        <translation>Completed on time</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="61"/>
        <source>满意</source>
        <translation>Satisfied</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="62"/>
        <source>督办</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="63"/>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="64"/>
        <source>系统得分</source>
        <translation>System score</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="65"/>
        <source>街道评价</source>
        <translation>Street&apos;s rating</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="66"/>
        <location filename="../../ui/whistle/assessment.py" line="76"/>
        <location filename="../../ui/whistle/assessment.py" line="93"/>
        <location filename="../../ui/whistle/assessment.py" line="95"/>
        <source>加减分</source>
        <translation>Adjustments</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="67"/>
        <location filename="../../ui/whistle/assessment.py" line="77"/>
        <source>总分</source>
        <translation>Total</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="71"/>
        <location filename="../../ui/whistle/assessment.py" line="86"/>
        <source>街道</source>
        <translation>Street</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="72"/>
        <source>吹哨</source>
        <translation>Whistles</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="73"/>
        <source>办结</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="74"/>
        <source>吹哨准确</source>
        <translation>Accurate whistles</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="75"/>
        <source>满意率</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="82"/>
        <source>选中一行，查看各项指标对应的吹哨编号</source>
        <translation>Select a row to see the whistle numbers behind each figure</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="92"/>
        <source>加减分理由</source>
        <translation>Reason for the adjustment</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="102"/>
        <source>年份</source>
        <translation>Year</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="132"/>
        <source>{month}：吹哨 {n} 件，办结 {closed} 件，办结率 {cr}%；部门办理 {res} 件，按时 {ot} 件，按时办结率 {otr}%</source>
        <translation>{month}: {n} whistles, {closed} closed, closure rate {cr}%; departments handled {res}, {ot} on time, on-time rate {otr}%</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="172"/>
        <source>已记录加减分</source>
        <translation>Adjustment recorded</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="183"/>
        <source>导出考核表</source>
        <translation>Export the assessment</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/assessment.py" line="194"/>
        <source>已导出：</source>
        <translation>Exported:</translation>
    </message>
</context>
<context>
    <name>WhistleDeskWorkspace</name>
    <message>
        <location filename="../../ui/whistle/desk.py" line="72"/>
        <source>事件收件箱</source>
        <translation>Event inbox</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="73"/>
        <source>吹哨事项</source>
        <translation>Whistles</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="75"/>
        <source>考核</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="79"/>
        <source>部门与时限</source>
        <translation>Departments and periods</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="91"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="92"/>
        <location filename="../../ui/whistle/desk.py" line="238"/>
        <source>编号</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="93"/>
        <source>类别</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="94"/>
        <location filename="../../ui/whistle/desk.py" line="137"/>
        <source>地点</source>
        <translation>Place</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="95"/>
        <source>上报/派单</source>
        <translation>Reported / dispatched</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="96"/>
        <source>答复时限</source>
        <translation>Reply by</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="97"/>
        <source>内容</source>
        <translation>Content</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="100"/>
        <source>导入网格事件…</source>
        <translation>Import grid events…</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="101"/>
        <source>导入12345工单…</source>
        <translation>Import 12345 orders…</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="112"/>
        <source>由选中的事件吹哨</source>
        <translation>Blow the whistle on the selected event</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="115"/>
        <source>无（直接吹哨）</source>
        <translation>None (whistle directly)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="116"/>
        <source>排队号（今天）</source>
        <translation>Ticket (today)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="117"/>
        <source>调解案件</source>
        <translation>Mediation case</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="119"/>
        <source>不由事件吹哨时：排队号或案件编号</source>
        <translation>When not from an event: ticket or case number</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="120"/>
        <source>预约现场会商</source>
        <translation>Book an on-site meeting</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="130"/>
        <location filename="../../ui/whistle/desk.py" line="286"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="131"/>
        <location filename="../../ui/whistle/desk.py" line="148"/>
        <source>吹哨</source>
        <translation>Whistles</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="134"/>
        <location filename="../../ui/whistle/desk.py" line="239"/>
        <source>哨类</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="135"/>
        <location filename="../../ui/whistle/desk.py" line="241"/>
        <source>召集部门</source>
        <translation>Summon departments</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="136"/>
        <location filename="../../ui/whistle/desk.py" line="245"/>
        <source>事项</source>
        <translation>Item</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="142"/>
        <source>其他来源</source>
        <translation>Other source</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="146"/>
        <location filename="../../ui/whistle/desk.py" line="296"/>
        <source>会商</source>
        <translation>Meeting</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="174"/>
        <source>导入网格事件</source>
        <translation>Import grid events</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="174"/>
        <source>导入12345工单</source>
        <translation>Import 12345 orders</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="179"/>
        <source>已导入 {n} 条：新增 {a} 条，已存在 {b} 条</source>
        <translation>{n} imported: {a} new, {b} already there</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="224"/>
        <source>已吹哨：{n}（{k}），召集{d}</source>
        <translation>Whistle blown: {n} ({k}), summoned {d}</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="240"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="242"/>
        <source>报到时限</source>
        <translation>Report by</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="243"/>
        <source>办结时限</source>
        <translation>Complete by</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="244"/>
        <source>满意度</source>
        <translation>Satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="251"/>
        <source>督办检查</source>
        <translation>Supervision check</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="252"/>
        <source>确认办结</source>
        <translation>Confirm finish</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="254"/>
        <source>办结意见（可选）</source>
        <translation>Closing opinion (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="255"/>
        <source>导出12345办理结果…</source>
        <translation>Export 12345 results…</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="264"/>
        <source>回访记录（可选）</source>
        <translation>Follow-up record (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="265"/>
        <source>记录满意度</source>
        <translation>Record satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="271"/>
        <source>评价意见</source>
        <translation>Comments</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="272"/>
        <location filename="../../ui/whistle/desk.py" line="310"/>
        <source>一案一评</source>
        <translation>Assessment per case</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="274"/>
        <source>督办意见（督办上一行选定的部门）</source>
        <translation>Supervision note (for the department selected above)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="275"/>
        <source>督办该部门</source>
        <translation>Supervise this department</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="277"/>
        <source>加派部门</source>
        <translation>Add a department</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="287"/>
        <source>预约会商</source>
        <translation>Book a meeting</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="290"/>
        <source>督办</source>
        <translation>Supervision</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="293"/>
        <source>加派</source>
        <translation>Add</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="305"/>
        <source>回访满意度</source>
        <translation>Follow-up satisfaction</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="345"/>
        <source>请先选择部门</source>
        <translation>Please choose a department first</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="353"/>
        <source>已督办</source>
        <translation>Supervised</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="362"/>
        <source>已加派部门</source>
        <translation>Department added</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="375"/>
        <source>已预约会商</source>
        <translation>Meeting booked</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="380"/>
        <source>请先选择一件吹哨事项</source>
        <translation>Please choose a whistle first</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="392"/>
        <source>事项：</source>
        <translation>Matter:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="392"/>
        <source>地点：</source>
        <translation>Place:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="394"/>
        <source>来源：</source>
        <translation>Source:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="396"/>
        <source>会商：</source>
        <translation>Meeting:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="400"/>
        <source>报到逾期</source>
        <translation>Report overdue</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="402"/>
        <source>办结逾期</source>
        <translation>Completion overdue</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="415"/>
        <source>群众满意度：</source>
        <translation>Resident satisfaction:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="433"/>
        <source>群众评价码：{code}（请告知群众：办结后 30 天内可在评价机输入此码评价办理情况）</source>
        <translation>Resident rating code: {code} (tell the resident: within 30 days of closure they can enter it at the rating kiosk)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="439"/>
        <source>已督办 {n} 项：</source>
        <translation>{n} items supervised:</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="441"/>
        <source>没有逾期事项</source>
        <translation>Nothing overdue</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="451"/>
        <source>已确认办结</source>
        <translation>Closure confirmed</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="460"/>
        <source>已记录满意度</source>
        <translation>Satisfaction recorded</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="469"/>
        <source>已记录一案一评</source>
        <translation>Assessment recorded</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="476"/>
        <source>导出12345办理结果</source>
        <translation>Export 12345 results</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="483"/>
        <source>已导出：</source>
        <translation>Exported:</translation>
    </message>
</context>
<context>
    <name>WindowDisplay</name>
    <message>
        <location filename="../../ui/board/window_display.py" line="55"/>
        <source>窗口显示屏</source>
        <extracomment>How many of the next numbers are shown.</extracomment>
        <translation>Window display</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="132"/>
        <source>未知窗口 {code}</source>
        <translation>Unknown window {code}</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="135"/>
        <source>此窗口已停用或不存在</source>
        <translation>This window is disabled or does not exist</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="138"/>
        <source>{n}号窗口 {name}</source>
        <translation>Window {n} {name}</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="145"/>
        <source>今日不受理：{reason}</source>
        <translation>Not serving today: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="147"/>
        <source>暂停服务，请稍候</source>
        <translation>Service paused, please wait</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="149"/>
        <source>本窗口未开放</source>
        <translation>This window is not open</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="151"/>
        <source>请稍候</source>
        <translation>Please wait</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="153"/>
        <source>正在办理</source>
        <translation>Now serving</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="155"/>
        <source>请到本窗口办理</source>
        <translation>Please come to this window</translation>
    </message>
    <message>
        <location filename="../../ui/board/window_display.py" line="158"/>
        <source>下一位：{numbers}</source>
        <translation>Next: {numbers}</translation>
    </message>
</context>
<context>
    <name>WindowStates</name>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="183"/>
        <location filename="../../ui/window/workspace.py" line="65"/>
        <source>开启</source>
        <extracomment>Events after which the window&apos;s panel and queue are read again.</extracomment>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="184"/>
        <location filename="../../ui/window/workspace.py" line="66"/>
        <source>暂停</source>
        <translation>Paused</translation>
    </message>
    <message>
        <location filename="../../ui/common/i18n_labels.py" line="185"/>
        <location filename="../../ui/window/workspace.py" line="67"/>
        <source>关闭</source>
        <translation>Closed</translation>
    </message>
</context>
<context>
    <name>WindowWorkspace</name>
    <message>
        <location filename="../../ui/window/state.py" line="233"/>
        <source>{h}小时{m}分</source>
        <translation>{h} h {m} min</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="234"/>
        <source>{m}分{s}秒</source>
        <translation>{m} min {s} s</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="70"/>
        <source>请选择本机所在的服务窗口</source>
        <translation>Choose this computer&apos;s service window</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="72"/>
        <source>这台电脑还没有指定窗口。选择后，叫号、办结等操作都记在该窗口名下，叫号屏会请群众到这个窗口。以后可在“设置”中更改。</source>
        <translation>No window has been set for this computer. Once chosen, calls, finishes and other actions are recorded under that window, and the call board sends visitors to it. You can change it later in &quot;Settings&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="78"/>
        <source>使用此窗口</source>
        <translation>Use this window</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="98"/>
        <location filename="../../ui/window/state.py" line="190"/>
        <source>{n}号窗口 · {name}</source>
        <translation>Window {n} · {name}</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="101"/>
        <source>（不在开放期）</source>
        <translation>(out of season)</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="115"/>
        <source>窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <source>请群众评价</source>
        <translation type="vanished">Ask the visitor to rate</translation>
    </message>
    <message>
        <source>不评价</source>
        <translation type="vanished">Skip rating</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="136"/>
        <location filename="../../ui/window/panels.py" line="132"/>
        <source>记录回访评价</source>
        <translation>Record a follow-up rating</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="134"/>
        <source>回访群众时，凭其小票上的评价码记录评价（不能记录自己办理的来访）</source>
        <translation>On a follow-up call, record the visitor&apos;s rating with the code on their ticket (not for a visit you served)</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="189"/>
        <source>知道了</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="253"/>
        <source>当前号</source>
        <translation>Current number</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="266"/>
        <location filename="../../ui/window/state.py" line="181"/>
        <source>暂无办理中的群众，按 F2 叫号</source>
        <translation>Nobody is being served; press F2 to call</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="274"/>
        <location filename="../../ui/window/panels.py" line="415"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="275"/>
        <location filename="../../ui/window/panels.py" line="412"/>
        <source>业务</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="276"/>
        <location filename="../../ui/window/panels.py" line="413"/>
        <source>优先原因</source>
        <translation>Priority reason</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="277"/>
        <location filename="../../ui/window/panels.py" line="416"/>
        <source>取号时间</source>
        <translation>Ticket time</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="278"/>
        <source>等候时长</source>
        <translation>Waited</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="279"/>
        <source>办理时长</source>
        <translation>Service time</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="280"/>
        <source>重呼次数</source>
        <translation>Recalls</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="281"/>
        <source>导引台记录</source>
        <translation>Front desk note</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="214"/>
        <source>叫号</source>
        <translation>Call</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="217"/>
        <source>重呼</source>
        <translation>Recall</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="218"/>
        <source>开始办理</source>
        <translation>Start serving</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="219"/>
        <source>转移</source>
        <translation>Transfer</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="220"/>
        <source>过号</source>
        <translation>No-show</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="221"/>
        <source>办结</source>
        <translation>Finish</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="222"/>
        <source>登记立案</source>
        <translation>Register a case</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="353"/>
        <source>等候队列（按叫号顺序）</source>
        <translation>Queue (in call order)</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="359"/>
        <source>叫选中的号…</source>
        <translation>Call selected…</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="361"/>
        <source>不按顺序叫队列中选中的号（须填原因，记入日志）</source>
        <translation>Call the ticket selected in the queue out of order (reason required, audited)</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="362"/>
        <source>过号回来…</source>
        <translation>No-show returned…</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="364"/>
        <source>本窗口过号的群众在规定时间内回来：回到原排队位置</source>
        <translation>A visitor marked no-show here returned in time: back to their old place</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="365"/>
        <source>挂起…</source>
        <translation>Hold…</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="367"/>
        <source>群众暂时离开（取材料等）：挂起当前号，无当前号时挂起队列中选中的号；挂起期间不叫号（F5）</source>
        <translation>Visitor stepped away (to fetch documents…): hold the current ticket, or the one selected in the queue when nobody is at the window; a held ticket is not called (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="369"/>
        <location filename="../../ui/window/state.py" line="173"/>
        <source>取消挂起…</source>
        <translation>Take off hold…</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="371"/>
        <source>挂起的群众回来了：回到原排队位置和优先顺序</source>
        <translation>A held visitor is back: their old place and priority</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="394"/>
        <location filename="../../ui/window/workspace.py" line="575"/>
        <source>当前没有等候的群众</source>
        <translation>Nobody is waiting</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="198"/>
        <source>快捷键：{key}</source>
        <translation>Shortcut: {key}</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="410"/>
        <source>顺序</source>
        <translation>Order</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="411"/>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="417"/>
        <source>已等候</source>
        <translation>Waiting</translation>
    </message>
    <message>
        <location filename="../../ui/window/workspace.py" line="407"/>
        <source>窗口“{code}”不存在或已停用，请在“设置”中重新选择本机窗口。</source>
        <extracomment>The window chosen on a computer that had none (the shell stores it). After every reload of the window&apos;s state and queue. Every action&apos;s button, by the name of :data:`ui.window.state.ACTIONS`.</extracomment>
        <translation>Window &quot;{code}&quot; does not exist or is deactivated; choose this computer&apos;s window again in &quot;Settings&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/window/workspace.py" line="428"/>
        <source>信访办理</source>
        <translation>Petition handling</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="210"/>
        <source>{number} 已办结：请群众凭小票上的评价码在自助评价机评价（本窗口不代为录入评价）</source>
        <translation>{number} finished: the visitor rates at the self-service kiosk with the code on their ticket (the window does not enter ratings)</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="143"/>
        <source>{number} 已记录回访评价：{label}</source>
        <translation>Follow-up rating of {number} recorded: {label}</translation>
    </message>
    <message>
        <source>信访期限</source>
        <translation type="vanished">Petition deadlines</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="189"/>
        <source>窗口 {code}</source>
        <translation>Window {code}</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="198"/>
        <source>受理业务：{list}</source>
        <translation>Services: {list}</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="314"/>
        <source>（未登记）</source>
        <translation>(not registered)</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="318"/>
        <location filename="../../ui/window/workspace.py" line="503"/>
        <source>无</source>
        <translation>None</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="184"/>
        <source>共 {n} 人等候</source>
        <translation>{n} waiting in total</translation>
    </message>
    <message>
        <location filename="../../ui/window/panels.py" line="333"/>
        <source>未开始</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="172"/>
        <source>取消挂起（{n}）…</source>
        <translation>Take off hold ({n})…</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="162"/>
        <source>恢复叫号  F9</source>
        <translation>Resume calling  F9</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="163"/>
        <source>暂停  F9</source>
        <translation>Pause  F9</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="167"/>
        <source>开启窗口</source>
        <translation>Open window</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="168"/>
        <source>关闭窗口</source>
        <translation>Close window</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="178"/>
        <source>窗口已关闭，点击“开启窗口”后开始叫号</source>
        <translation>The window is closed; click &quot;Open window&quot; to start calling</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="180"/>
        <source>窗口暂停中，按 F9 恢复叫号</source>
        <translation>The window is paused; press F9 to resume calling</translation>
    </message>
    <message>
        <location filename="../../ui/window/workspace.py" line="579"/>
        <source>已呼叫 {number}（{service}）</source>
        <translation>Called {number} ({service})</translation>
    </message>
    <message>
        <location filename="../../ui/window/workspace.py" line="590"/>
        <source>已重呼 {number}（第 {n} 次）</source>
        <translation>Recalled {number} (time {n})</translation>
    </message>
    <message>
        <location filename="../../ui/window/workspace.py" line="599"/>
        <source>{number} 开始办理</source>
        <translation>{number} being served</translation>
    </message>
    <message>
        <location filename="../../ui/window/workspace.py" line="607"/>
        <source>{number} 已标记为过号</source>
        <translation>{number} marked as no-show</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="107"/>
        <source>已登记调解案件 {case}（来自 {number}），办结时结果为“登记立案（转调解）”</source>
        <translation>Mediation case {case} registered (from {number}); on finishing, the outcome is &quot;Case registered (to mediation)&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="84"/>
        <source>{number} 已办结：{outcome}</source>
        <translation>{number} finished: {outcome}</translation>
    </message>
    <message>
        <source>{number} 已办结，可请群众对本次服务评价</source>
        <translation type="vanished">{number} finished; you can ask the visitor to rate the service</translation>
    </message>
    <message>
        <source>{number} 已评价：{label}</source>
        <translation type="vanished">{number} rated: {label}</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="166"/>
        <source>业务列表尚未读取，请稍后再试</source>
        <translation>The service list has not been read yet; please try again shortly</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="178"/>
        <source>{old} 已转往“{service}”，新号 {new}（保留原排队顺序）</source>
        <translation>{old} transferred to &quot;{service}&quot;, new number {new} (original queue position kept)</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="195"/>
        <source>原号 {old}，保留原排队顺序；叫号时会同时报出原号</source>
        <translation>Old number {old}, keeps its place; calls announce the old number too</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="207"/>
        <source>打印失败：{reason}</source>
        <translation>Printing failed: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="210"/>
        <source>已转往“{service}”，新号 {new}（原 {old}）：{status}</source>
        <translation>Sent to &quot;{service}&quot;, new number {new} (was {old}): {status}</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="217"/>
        <source>新号 {new} 的号票无法生成：{reason}</source>
        <translation>The ticket for the new number {new} could not be produced: {reason}</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="232"/>
        <source>请先在等候队列中选中要叫的号</source>
        <translation>Please select the ticket to call in the queue first</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="243"/>
        <source>已叫指定号 {number}（原因：{reason}）</source>
        <translation>Called {number} out of order (reason: {reason})</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="261"/>
        <source>本窗口没有在规定时间内的过号，请群众重新取号</source>
        <translation>No no-show of this window within the return time; the visitor needs a new ticket</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="271"/>
        <source>{number} 已重新排队，前面 {n} 人</source>
        <translation>{number} is back in the queue, {n} ahead</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="285"/>
        <source>请先在等候队列中选中要挂起的号</source>
        <translation>Please select the ticket to hold in the queue first</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="296"/>
        <source>{number} 已挂起（{reason}），回来后点“取消挂起…”恢复排队</source>
        <translation>{number} is on hold ({reason}); when they are back click &quot;Take off hold…&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/window/actions.py" line="316"/>
        <source>{number} 已恢复排队，前面 {n} 人</source>
        <translation>{number} is back in the queue, {n} ahead</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="203"/>
        <source>窗口已开启，可以叫号</source>
        <translation>The window is open; you can call</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="205"/>
        <source>窗口已暂停，叫号屏不会再请群众到本窗口</source>
        <translation>The window is paused; the call board no longer sends visitors to it</translation>
    </message>
    <message>
        <location filename="../../ui/window/state.py" line="206"/>
        <source>窗口已关闭</source>
        <translation>The window is closed</translation>
    </message>
</context>
<context>
    <name>WindowsPage</name>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="356"/>
        <location filename="../../ui/centre/admin_catalogue.py" line="521"/>
        <source>新增窗口</source>
        <translation>New window</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="357"/>
        <source>窗口设置</source>
        <translation>Window settings</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="359"/>
        <source>窗口</source>
        <translation>Windows</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="360"/>
        <source>每个窗口按列表顺序优先叫本窗口的业务。季节性窗口只在开放期内出现在叫号屏上。</source>
        <translation>Each window calls its own services first, in list order. Seasonal windows appear on the call board only in their season.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="365"/>
        <location filename="../../ui/centre/admin_catalogue.py" line="391"/>
        <source>窗口号</source>
        <translation>Window number</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="366"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="367"/>
        <source>办理业务（按顺序）</source>
        <translation>Services (in order)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="368"/>
        <location filename="../../ui/centre/admin_catalogue.py" line="434"/>
        <source>开放期</source>
        <translation>Season</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="369"/>
        <location filename="../../ui/centre/admin_catalogue.py" line="402"/>
        <source>区域</source>
        <translation>Area</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="370"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="386"/>
        <source>如 w11</source>
        <translation>e.g. w11</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="390"/>
        <source>窗口代码</source>
        <translation>Window code</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="392"/>
        <source>窗口名称</source>
        <translation>Window name</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="401"/>
        <source>如 一楼、二楼（可不填）</source>
        <translation>E.g. 1st floor, 2nd floor (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="403"/>
        <source>叫号屏可只显示一个区域的窗口：hall --board --area 二楼</source>
        <translation>A board may show one area&apos;s windows only: hall --board --area 二楼</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="408"/>
        <source>上移</source>
        <translation>Move up</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="409"/>
        <source>下移</source>
        <translation>Move down</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="417"/>
        <source>办理业务</source>
        <translation>Services</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="418"/>
        <source>勾选本窗口办理的业务；排在前面的先叫（可拖动或用上移、下移调整）。</source>
        <translation>Tick the services this window handles; those higher up are called first (drag, or use Move up and Move down).</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="419"/>
        <source>只在季节性开放期内开放</source>
        <translation>Open only in a seasonal period</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="422"/>
        <source>每年重复（只看月、日）</source>
        <translation>Every year (month and day only)</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="424"/>
        <source>不勾选时，开放期只在所填的那一年有效</source>
        <translation>When unticked, the season applies only in the year entered</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="429"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="436"/>
        <source>每周开放时间</source>
        <translation>Weekly opening hours</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="439"/>
        <source>每天填一个或几个时段，如 08:30-12:00, 13:30-17:30；留空表示当天不开放。七天都留空则不单独设定开放时间。</source>
        <translation>Enter one or more periods for each day, e.g. 08:30-12:00, 13:30-17:30; leave a day empty if closed that day. If all seven days are empty, no separate opening hours are set.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="446"/>
        <source>不开放</source>
        <translation>Closed</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="471"/>
        <source> — 已停用</source>
        <translation> — deactivated</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="522"/>
        <source>{n}号窗口</source>
        <translation>Window {n}</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="530"/>
        <source>窗口代码应为 2-32 位小写字母、数字或下划线，以字母开头</source>
        <translation>The window code must be 2-32 lower-case letters, digits or underscores, starting with a letter</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="532"/>
        <source>窗口名称不能为空</source>
        <translation>The window name cannot be empty</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="534"/>
        <source>至少要勾选一项办理的业务</source>
        <translation>Tick at least one service</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="545"/>
        <source>季节性开放期的结束日期早于开始日期</source>
        <translation>The seasonal period ends before it starts</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="567"/>
        <source>已新增 {n}号窗口。</source>
        <translation>Window {n} added.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="567"/>
        <source>{n}号窗口已保存。</source>
        <translation>Window {n} saved.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="570"/>
        <source>{n}号窗口已启用。</source>
        <translation>Window {n} activated.</translation>
    </message>
    <message>
        <location filename="../../ui/centre/admin_catalogue.py" line="571"/>
        <source>{n}号窗口已停用，历史记录保留。</source>
        <translation>Window {n} deactivated; past records are kept.</translation>
    </message>
</context>
<context>
    <name>Workspaces</name>
    <message>
        <location filename="../../ui/shell.py" line="77"/>
        <source>导引台</source>
        <extracomment>Role -&gt; workspace, in the order the switcher lists them.</extracomment>
        <translation>Front desk</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="79"/>
        <source>窗口受理</source>
        <translation>Service window</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="81"/>
        <source>调解员工作台</source>
        <translation>Mediator&apos;s workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="83"/>
        <source>仲裁书记员工作台</source>
        <translation>Arbitration clerk&apos;s workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="85"/>
        <source>主任工作台</source>
        <translation>Director&apos;s workspace</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="87"/>
        <source>系统管理工作台</source>
        <translation>Administration</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="89"/>
        <source>吹哨调度台</source>
        <translation>Whistle dispatch desk</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="91"/>
        <source>部门报到台</source>
        <translation>Department desk</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="93"/>
        <source>吹哨报到考核</source>
        <translation>Whistle assessment</translation>
    </message>
</context>
<context>
    <name>WorkstationDialog</name>
    <message>
        <location filename="../../ui/shell.py" line="179"/>
        <source>本机设置</source>
        <translation>This computer&apos;s settings</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="196"/>
        <source>（每次打印时选择）</source>
        <translation>(choose when printing)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="204"/>
        <source>正在读取本中心的窗口和调解室…</source>
        <translation>Reading the centre&apos;s windows and rooms…</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="206"/>
        <source>界面语言在重新启动程序后生效。</source>
        <translation>A new language takes effect when the program is restarted.</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="210"/>
        <source>本机所在窗口(&amp;W)：</source>
        <translation>This computer&apos;s &amp;window:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="211"/>
        <source>本机所在调解室(&amp;R)：</source>
        <translation>This computer&apos;s mediation &amp;room:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="212"/>
        <source>打印机(&amp;P)：</source>
        <translation>&amp;Printer:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="213"/>
        <source>界面语言(&amp;L)：</source>
        <translation>&amp;Language:</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="231"/>
        <source>（本机不是服务窗口）</source>
        <translation>(not a service window)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="234"/>
        <source>（本机不在调解室）</source>
        <translation>(not in a mediation room)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="240"/>
        <source>{code}（本中心已无此项）</source>
        <translation>{code} (no longer in this centre)</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="248"/>
        <source>无法读取窗口列表，请稍后再试。</source>
        <translation>Cannot read the list of windows; please try again later.</translation>
    </message>
</context>
<context>
    <name>_RatingBase</name>
    <message>
        <location filename="../../ui/window/rating.py" line="192"/>
        <source>评价未能提交，请重试</source>
        <translation>The rating could not be submitted; please try again</translation>
    </message>
</context>
<context>
    <name>_SettingsTab</name>
    <message>
        <location filename="../../ui/whistle/desk.py" line="537"/>
        <location filename="../../ui/whistle/desk.py" line="560"/>
        <source>代码</source>
        <translation>Code</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="538"/>
        <location filename="../../ui/whistle/desk.py" line="561"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="539"/>
        <location filename="../../ui/whistle/desk.py" line="562"/>
        <source>入驻方式</source>
        <translation>How stationed</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="540"/>
        <location filename="../../ui/whistle/desk.py" line="563"/>
        <source>负责类别</source>
        <translation>Responsible for</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="541"/>
        <location filename="../../ui/whistle/desk.py" line="565"/>
        <source>联络员账户</source>
        <translation>Liaison accounts</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="542"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="542"/>
        <location filename="../../ui/whistle/desk.py" line="556"/>
        <source>启用</source>
        <translation>Activate</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="542"/>
        <source>停用</source>
        <translation>Deactivate</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="551"/>
        <source>用、分隔，如：供水、管网</source>
        <translation>Separated by 、, e.g. water supply、pipe network</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="553"/>
        <source>姓名 电话；姓名 电话</source>
        <translation>Name phone; name phone</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="555"/>
        <source>联络员用户名，用、分隔</source>
        <translation>Liaison usernames, separated by 、</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="558"/>
        <source>保存部门</source>
        <translation>Save department</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="564"/>
        <source>联系人</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="570"/>
        <source>报到时限（小时）</source>
        <translation>Report within (hours)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="571"/>
        <source>办结时限（工作日）</source>
        <translation>Complete within (working days)</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="579"/>
        <source>保存时限</source>
        <translation>Save periods</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="582"/>
        <source>部门</source>
        <translation>Department</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="586"/>
        <source>各哨类时限</source>
        <translation>Periods per whistle kind</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="646"/>
        <source>已保存部门</source>
        <translation>Department saved</translation>
    </message>
    <message>
        <location filename="../../ui/whistle/desk.py" line="653"/>
        <source>已保存时限（此后吹哨按新时限计算）</source>
        <translation>Periods saved (whistles from now on use them)</translation>
    </message>
</context>
</TS>
