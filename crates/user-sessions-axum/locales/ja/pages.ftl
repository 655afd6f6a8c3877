# アカウントのページ：「アクティブなセッション」。
# 日本語には複数形がありません（other のみ）。

sessions-title = アクティブなセッション
sessions-intro = あなたのアカウントにログインしているブラウザとデバイスです。心当たりのないものがあれば、そのセッションを終了してください。
sessions-count = アクティブなセッション：{ $count } 件
sessions-only-one = これが唯一のアクティブなセッションです。
sessions-empty = アクティブなセッションはありません。

session-current = このセッション
session-last-activity = 最終アクティビティ
session-signed-in = ログイン
session-location = 場所
session-ip = IP アドレス
session-user-agent = ブラウザの識別情報（全文）
session-details = 詳細
session-active-ago = 最終アクティビティ：{ $ago }

device-on = { $platform } の { $browser }
device-unknown = 不明なデバイス
hints-mobile-yes = モバイル：はい
hints-mobile-no = モバイル：いいえ
# Two parts of a browser's description joined ("Chrome on Android, mobile: yes").
hints-joined = { $first }、{ $second }
location-unknown = 不明な場所
ip-unknown = 不明

time-just-now = たった今
time-minutes-ago = { $count } 分前
time-hours-ago = { $count } 時間前
time-days-ago =
    { $count ->
        [1] 昨日
       *[other] { $count } 日前
    }
time-months-ago = { $count } か月前
time-years-ago = { $count } 年前

action-end = セッションを終了
action-sign-out = ログアウト
notice-dismiss = 閉じる
action-end-others = 他のすべてのセッションを終了
end-others-hint = 他のすべてのブラウザとデバイスからログアウトします。このブラウザはログインしたままです。
confirm-password-label = パスワード
confirm-password-hint = 確認のためパスワードを入力してください。
confirm-reauthenticate = セキュリティのため、他のセッションを終了する前にもう一度ログインしてください。
confirm-reauthenticate-link = もう一度ログイン

flash-ended-one = セッションを終了しました。
flash-ended-device = { $device } からサインアウトしました。
flash-ended-others =
    { $count ->
        [0] 終了する他のセッションはありませんでした。
       *[other] 他のセッションを { $count } 件終了しました。
    }
flash-wrong-password = パスワードが正しくありません。セッションは終了していません。
flash-too-many-passwords = パスワードの誤りが多すぎます。セッションは終了していません。数分後にもう一度お試しください。

error-not-found-title = セッションが見つかりません
error-not-found = このセッションは存在しないか、すでに終了しています。
error-forbidden-title = リクエストが拒否されました
error-forbidden = リクエストを確認できませんでした。ページを再読み込みして、もう一度お試しください。
error-bad-request-title = 無効なリクエスト
error-bad-request = 送信されたフォームを読み取れませんでした。ページを再読み込みして、もう一度お試しください。
error-unavailable-title = 一時的に利用できません
error-unavailable = 現在セッションを表示できません。しばらくしてからもう一度お試しください。

nav-back = セッション一覧に戻る
nav-home = ホーム
nav-signed-in-as = { $user } としてサインイン中

# 管理ページ：すべてのユーザーのすべてのセッション（スタッフ向け）。
# 変数：$count は数値です。

admin-title = すべてのセッション
admin-intro = すべてのユーザーのすべてのセッションです。ユーザーや IP アドレスで検索し、選択したセッションを終了できます。
admin-search-label = 検索
admin-search-submit = 検索
admin-search-clear = 検索をクリア
admin-search-hint = ユーザー名、氏名、メールアドレス、または IP アドレスやその先頭部分（{ $example }）。
admin-search-truncated = 一致するユーザーが多すぎるため、最初の { $count } 人のセッションのみ表示しています。検索条件を絞り込んでください。
admin-filter-status = 状態
admin-filter-all = すべて
admin-filter-active = 有効
admin-filter-expired = 期限切れ
admin-filter-owner = 所有者
admin-filter-everyone = 全員
admin-filter-mine = 自分
admin-filter-user = このユーザーのセッションのみ：
admin-filter-clear = すべてのユーザーを表示
admin-column-select = 選択
admin-column-user = ユーザー
admin-column-ip = IP アドレス
admin-column-location = 場所
admin-column-device = デバイス
admin-column-last-activity = 最終アクティビティ
admin-column-signed-in = ログイン
admin-column-expires = 有効期限
admin-column-status = 状態
admin-status-valid = 有効
admin-status-expired = 期限切れ
admin-anonymous = 未ログイン
admin-select-session = このセッションを選択
admin-select-all = このページのセッションをすべて選択
admin-empty = 一致するセッションはありません。
admin-result-count = { $count } 件のセッション
admin-result-more = 続きは次のページにあります。
admin-pages = ページ
admin-first-page = 最初のページ
admin-next-page = 次のページ
admin-action-end-selected = 選択したセッションを終了
admin-action-end-user = このユーザーのすべてのセッションを終了
admin-end-user-hint = このユーザーをすべてのブラウザとデバイスからログアウトさせます。
admin-action-purge = 期限切れのセッションを削除
admin-purge-hint = 期限切れのセッションはもう使用できません。今すぐデータベースから削除します。
admin-ended =
    { $count ->
        [0] 終了したセッションはありません。
       *[other] セッションを { $count } 件終了しました。
    }
admin-nothing-selected = セッションが選択されていません。
admin-confirm-title = 確認してください
admin-confirm-end-selected = 選択した { $count } 件のセッションを終了しますか？
admin-confirm-end-selected-hint = それらを使っているブラウザは、次のリクエストでサインアウトされます。
admin-confirm-end-user = 
    { $count ->
        [0] { $user } のセッションはありません。
       *[other] { $user } のセッション { $count } 件をすべて終了しますか？
    }
admin-confirm-end-user-hint = すべてのブラウザとデバイスからサインアウトされます。
admin-confirm-purge = 
    { $count ->
        [0] 期限切れのセッションはありません。
       *[other] 期限切れのセッション { $count } 件を削除しますか？
    }
admin-confirm-purge-hint = 期限切れのセッションはもう使えません。これはデータベースから今すぐ削除します。
admin-confirm-button-end = { $count } 件のセッションを終了
admin-confirm-button-purge = { $count } 件のセッションを削除
admin-confirm-cancel = キャンセル
admin-detail-title = セッションの詳細
admin-back = すべてのセッションに戻る
admin-field-user = ユーザー
admin-field-user-id = ユーザー ID
admin-field-public-id = 公開 ID
admin-field-ip = IP アドレス
admin-field-location = 場所
admin-field-user-agent = ブラウザの識別情報
admin-field-client-hints = クライアントヒント
admin-field-created = 作成
admin-field-last-activity = 最終アクティビティ
admin-field-signed-in = ログイン
admin-field-expires = 有効期限
admin-data-title = セッションデータ
admin-data-key = キー
admin-data-value = 値
admin-data-hidden = 非表示
admin-data-empty = このセッションにはデータがありません。
admin-action-end-one = このセッションを終了
admin-forbidden-title = スタッフ専用
admin-forbidden = すべてのユーザーのセッションを見られるのはスタッフのみです。
admin-bad-request-title = 無効なリクエスト
admin-bad-request = このページのアドレスが無効です。セッション一覧からやり直してください。
