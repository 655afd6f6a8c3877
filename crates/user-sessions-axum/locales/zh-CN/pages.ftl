# 账户页面：“活动会话”。
# 中文没有复数形式（只有 other）。

sessions-title = 活动会话
sessions-intro = 以下是已登录你账户的浏览器和设备。如果有你不认识的，请结束它的会话。
sessions-count = { $count } 个活动会话
sessions-only-one = 这是你唯一的活动会话。
sessions-empty = 没有活动会话。

session-current = 当前会话
session-last-activity = 最近活动
session-signed-in = 登录时间
session-location = 位置
session-ip = IP 地址
session-user-agent = 完整的浏览器标识
session-details = 详细信息
session-active-ago = { $ago }活跃

device-on = { $platform } 上的 { $browser }
device-unknown = 未知设备
hints-mobile-yes = 移动设备：是
hints-mobile-no = 移动设备：否
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }，{ $second }
location-unknown = 未知位置
ip-unknown = 未知

time-just-now = 刚刚
time-minutes-ago = { $count } 分钟前
time-hours-ago = { $count } 小时前
time-days-ago =
    { $count ->
        [1] 昨天
       *[other] { $count } 天前
    }
time-months-ago = { $count } 个月前
time-years-ago = { $count } 年前

action-end = 结束会话
action-sign-out = 退出登录
notice-dismiss = 忽略
action-end-others = 结束所有其他会话
end-others-hint = 将在所有其他浏览器和设备上退出登录。此浏览器保持登录。
confirm-password-label = 你的密码
confirm-password-hint = 请输入密码以确认。
confirm-reauthenticate = 为了你的账户安全，请先重新登录，再结束其他会话。
confirm-reauthenticate-link = 重新登录

flash-ended-one = 会话已结束。
flash-ended-device = { $device } 已退出登录。
flash-ended-others =
    { $count ->
        [0] 没有需要结束的其他会话。
       *[other] 已结束 { $count } 个其他会话。
    }
flash-wrong-password = 密码不正确。没有结束任何会话。
flash-too-many-passwords = 密码错误次数过多。没有结束任何会话；请几分钟后再试。

error-not-found-title = 未找到会话
error-not-found = 该会话不存在或已结束。
error-forbidden-title = 请求被拒绝
error-forbidden = 无法验证该请求。请刷新页面后重试。
error-bad-request-title = 无效的请求
error-bad-request = 无法读取提交的表单。请刷新页面后重试。
error-unavailable-title = 暂时不可用
error-unavailable = 暂时无法显示会话，请稍后再试。

nav-back = 返回你的会话
nav-home = 首页
nav-signed-in-as = 已登录：{ $user }

# 管理页面：所有用户的所有会话，供工作人员使用。
# 变量：$count 是数字。

admin-title = 所有会话
admin-intro = 所有用户的所有会话。搜索用户或 IP 地址，并结束所选的会话。
admin-search-label = 搜索
admin-search-submit = 搜索
admin-search-clear = 清除搜索
admin-search-hint = 用户名、姓名或电子邮件地址；或 IP 地址及其开头部分（{ $example }）。
admin-search-truncated = 匹配的用户过多；只列出前 { $count } 个用户的会话。请缩小搜索范围。
admin-filter-status = 按状态
admin-filter-all = 全部
admin-filter-active = 有效
admin-filter-expired = 已过期
admin-filter-owner = 按所有者
admin-filter-everyone = 所有人
admin-filter-mine = 我的
admin-filter-user = 仅显示该用户的会话：
admin-filter-clear = 显示所有用户
admin-column-select = 选择
admin-column-user = 用户
admin-column-ip = IP 地址
admin-column-location = 位置
admin-column-device = 设备
admin-column-last-activity = 最近活动
admin-column-signed-in = 登录时间
admin-column-expires = 过期时间
admin-column-status = 状态
admin-status-valid = 有效
admin-status-expired = 已过期
admin-anonymous = 未登录
admin-select-session = 选择此会话
admin-select-all = 选择本页的所有会话
admin-empty = 没有匹配的会话。
admin-result-count = { $count } 个会话
admin-result-more = 更多内容在下一页。
admin-pages = 分页
admin-first-page = 第一页
admin-next-page = 下一页
admin-action-end-selected = 结束所选会话
admin-action-end-user = 结束该用户的所有会话
admin-end-user-hint = 让该用户在所有浏览器和设备上退出登录。
admin-action-purge = 删除已过期的会话
admin-purge-hint = 已过期的会话无法再使用；此操作会立即将其从数据库中删除。
admin-ended =
    { $count ->
        [0] 没有结束任何会话。
       *[other] 已结束 { $count } 个会话。
    }
admin-nothing-selected = 未选择任何会话。
admin-confirm-title = 请确认
admin-confirm-end-selected = 结束所选的 { $count } 个会话？
admin-confirm-end-selected-hint = 使用这些会话的浏览器会在下一次请求时退出登录。
admin-confirm-end-user = 
    { $count ->
        [0] { $user } 没有会话。
       *[other] 结束 { $user } 的全部 { $count } 个会话？
    }
admin-confirm-end-user-hint = 该用户会在所有浏览器和设备上退出登录。
admin-confirm-purge = 
    { $count ->
        [0] 没有已过期的会话。
       *[other] 删除 { $count } 个已过期的会话？
    }
admin-confirm-purge-hint = 已过期的会话已无法使用；此操作会立即从数据库中删除它们。
admin-confirm-button-end = 结束 { $count } 个会话
admin-confirm-button-purge = 删除 { $count } 个会话
admin-confirm-cancel = 取消
admin-detail-title = 会话详情
admin-back = 返回所有会话
admin-field-user = 用户
admin-field-user-id = 用户 ID
admin-field-public-id = 公开 ID
admin-field-ip = IP 地址
admin-field-location = 位置
admin-field-user-agent = 浏览器标识
admin-field-client-hints = 客户端提示
admin-field-created = 创建时间
admin-field-last-activity = 最近活动
admin-field-signed-in = 登录时间
admin-field-expires = 过期时间
admin-data-title = 会话数据
admin-data-key = 键
admin-data-value = 值
admin-data-hidden = 已隐藏
admin-data-empty = 此会话没有数据。
admin-action-end-one = 结束此会话
admin-forbidden-title = 仅限工作人员
admin-forbidden = 只有工作人员才能查看所有用户的会话。
admin-bad-request-title = 无效的请求
admin-bad-request = 此页面的地址无效。请从会话列表重新开始。
