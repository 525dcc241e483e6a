"""The thirty participants of the forum's B2B meetings: who they are and what they offer and seek.

Fifteen people of Sophia Antipolis (six in the delegation in Nanjing) and fifteen of Jiangning,
each with a profile in en/fr/zh, sectors, languages, how they meet and their working hours.
"""

# ruff: noqa: RUF001 - Chinese text is punctuated with full-width commas.
from __future__ import annotations

from dataclasses import dataclass

from .schemas import ParticipantIn

PARIS = "Europe/Paris"
SHANGHAI = "Asia/Shanghai"


def _text(en: str, fr: str, zh: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "zh": zh}


@dataclass(frozen=True)
class Profile:
    """One participant: who (by e-mail) and the profile it opts in with."""

    email: str
    offers: dict
    seeks: dict
    sectors: tuple[str, ...]
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    attendance: str  # in_person, online or both
    hours: tuple[str, str] | None = None  # working hours for online meetings
    zone: str | None = None

    def values(self, in_person_session, online_session) -> dict:
        sessions = {
            "in_person": [in_person_session],
            "online": [online_session],
            "both": [in_person_session, online_session],
        }[self.attendance]
        start, end = self.hours or (None, None)
        return ParticipantIn().load(
            {
                "offers": self.offers,
                "seeks": self.seeks,
                "sectors": list(self.sectors),
                "countries_sought": list(self.countries),
                "languages": list(self.languages),
                "attendance": self.attendance,
                "session_ids": [str(s) for s in sessions],
                "working_hours_start": start,
                "working_hours_end": end,
                "timezone": self.zone,
            }
        )


def _sophia(email, offers, seeks, sectors, attendance, hours=None, zone=PARIS, languages=None):
    return Profile(
        email, offers, seeks, tuple(sectors), ("CN",), tuple(languages or ("fr", "en")),
        attendance, hours, zone if hours else None,
    )  # fmt: skip


def _jiangning(email, offers, seeks, sectors, attendance, hours=None, languages=None):
    return Profile(
        email, offers, seeks, tuple(sectors), ("FR",), tuple(languages or ("zh", "en")),
        attendance, hours, SHANGHAI if hours else None,
    )  # fmt: skip


# Sophia Antipolis: the delegation in Nanjing (in person, or both with Nanjing hours), and those
# who stay at home and meet online in Paris hours (the online session is 09:00-11:00 in Paris
# in winter, 10:00-12:00 in summer: some hours cover only part of it).
SOPHIA = [
    _sophia(
        "partenariats@fondation-sophia-antipolis.example",
        _text(
            "Soft landing in Sophia Antipolis: offices, introductions to labs, investors and "
            "the exchange programme.",
            "Implantation à Sophia Antipolis : bureaux, mises en relation avec laboratoires, "
            "investisseurs et le programme d'échanges.",
            "落地索菲亚科技园：办公场地，对接实验室、投资方及交流计划。",
        ),
        _text(
            "Jiangning companies planning a European base.",
            "Des entreprises de Jiangning qui préparent une implantation en Europe.",
            "计划在欧洲设立基地的江宁企业。",
        ),
        ["software", "biotech_health", "iot"],
        "in_person",
        languages=("fr", "en", "zh"),
    ),
    _sophia(
        "direction@azur-genomique.example",
        _text(
            "Sequencing panels and bioinformatics for rare-disease diagnosis.",
            "Panels de séquençage et bio-informatique pour le diagnostic des maladies rares.",
            "用于罕见病诊断的测序panel与生物信息学分析。",
        ),
        _text(
            "Diagnostic-kit makers and hospitals in China for a joint clinical study.",
            "Fabricants de kits de diagnostic et hôpitaux en Chine pour une étude clinique "
            "commune.",
            "寻找中国的诊断试剂盒企业和医院，共同开展临床研究。",
        ),
        ["biotech_health", "ai_data"],
        "both",
        ("08:30", "18:00"),
        SHANGHAI,
    ),
    _sophia(
        "mathilde.ferrand@azur-genomique.example",
        _text(
            "Validated bioinformatics pipelines for variant calling.",
            "Pipelines de bio-informatique validés pour l'appel de variants.",
            "经过验证的变异检测生物信息学流程。",
        ),
        _text(
            "Partners with sequencing data from Asian cohorts.",
            "Des partenaires disposant de données de séquençage de cohortes asiatiques.",
            "拥有亚洲人群队列测序数据的合作伙伴。",
        ),
        ["biotech_health", "ai_data"],
        "online",
        ("09:00", "18:00"),
    ),
    _sophia(
        "karim.benali@azur-genomique.example",
        _text(
            "Experience of CE-IVD marking for diagnostic software.",
            "Expérience du marquage CE-IVD des logiciels de diagnostic.",
            "诊断软件CE-IVD认证经验。",
        ),
        _text(
            "A partner for NMPA registration in China.",
            "Un partenaire pour l'enregistrement auprès de la NMPA en Chine.",
            "在中国进行NMPA注册的合作伙伴。",
        ),
        ["biotech_health"],
        "online",
        ("10:00", "18:00"),
    ),
    _sophia(
        "contact@imia.example",
        _text(
            "Preclinical models and know-how in CAR-T cell therapies.",
            "Modèles précliniques et savoir-faire en thérapies cellulaires CAR-T.",
            "CAR-T细胞治疗的临床前模型与技术经验。",
        ),
        _text(
            "Antibody developers for joint research.",
            "Des développeurs d'anticorps pour des recherches communes.",
            "寻找抗体研发企业开展联合研究。",
        ),
        ["biotech_health"],
        "in_person",
    ),
    _sophia(
        "isabelle.roussel@imia.example",
        _text(
            "Immunoassay development and validation.",
            "Développement et validation d'immunoessais.",
            "免疫检测方法的开发与验证。",
        ),
        _text(
            "Monoclonal antibodies for research use.",
            "Des anticorps monoclonaux à usage de recherche.",
            "科研用单克隆抗体。",
        ),
        ["biotech_health"],
        "online",
        ("09:00", "17:00"),
    ),
    _sophia(
        "antoine.giraud@imia.example",
        _text(
            "Licences on the institute's patents in immunology.",
            "Licences sur les brevets de l'institut en immunologie.",
            "研究所免疫学专利的许可。",
        ),
        _text(
            "Companies to license and develop our technologies.",
            "Des entreprises pour licencier et développer nos technologies.",
            "寻求获得许可并开发我们技术的企业。",
        ),
        ["biotech_health"],
        "online",
        ("08:00", "12:00"),  # mornings only
    ),
    _sophia(
        "bonjour@lerins-connect.example",
        _text(
            "LoRaWAN sensors that run ten years on one battery.",
            "Des capteurs LoRaWAN qui tiennent dix ans sur une pile.",
            "一块电池可运行十年的LoRaWAN传感器。",
        ),
        _text(
            "A manufacturer and distributors in China.",
            "Un fabricant et des distributeurs en Chine.",
            "中国的生产商与分销商。",
        ),
        ["iot", "telecom"],
        "both",
        ("09:00", "18:00"),
        SHANGHAI,
    ),
    _sophia(
        "lea.moreau@lerins-connect.example",
        _text(
            "Low-power firmware and an open data model for farm sensors.",
            "Firmware basse consommation et modèle de données ouvert pour capteurs agricoles.",
            "低功耗固件及农业传感器开放数据模型。",
        ),
        _text(
            "Edge-gateway makers to certify our firmware with.",
            "Des fabricants de passerelles de bordure pour certifier notre firmware.",
            "与边缘网关厂商合作认证我们的固件。",
        ),
        ["iot", "software"],
        "online",
        ("09:00", "18:00"),
    ),
    _sophia(
        "nicolas.faure@lerins-connect.example",
        _text(
            "Smart-harbour monitoring: berths, water quality, energy.",
            "Supervision de ports intelligents : postes d'amarrage, qualité de l'eau, énergie.",
            "智慧港口监测：泊位、水质与能耗。",
        ),
        _text(
            "5G and satellite chips for sensors at sea.",
            "Des puces 5G et satellite pour des capteurs en mer.",
            "用于海上传感器的5G和卫星芯片。",
        ),
        ["iot", "smart_city"],
        "online",
        ("09:00", "17:30"),
    ),
    _sophia(
        "studio@brague-xr.example",
        _text(
            "Virtual-reality training for surgeons and plant operators.",
            "Formation en réalité virtuelle pour chirurgiens et opérateurs d'usine.",
            "面向外科医生和工厂操作人员的虚拟现实培训。",
        ),
        _text(
            "Digital humans and hospitals to pilot our simulators.",
            "Des humains numériques et des hôpitaux pour tester nos simulateurs.",
            "寻找数字人技术及医院试用我们的模拟器。",
        ),
        ["virtual_augmented_reality", "software"],
        "in_person",
    ),
    _sophia(
        "hugo.lefevre@brague-xr.example",
        _text(
            "A real-time 3D engine for training scenarios.",
            "Un moteur 3D temps réel pour scénarios de formation.",
            "用于培训场景的实时三维引擎。",
        ),
        _text(
            "3D-vision research to capture real workplaces.",
            "De la recherche en vision 3D pour numériser des postes de travail réels.",
            "用于采集真实工作场景的三维视觉研究。",
        ),
        ["virtual_augmented_reality"],
        "online",
        ("09:30", "18:30"),
    ),
    _sophia(
        "ines.durand@brague-xr.example",
        _text(
            "Ready-made VR courses in safety and healthcare.",
            "Des modules de formation VR prêts à l'emploi en sécurité et santé.",
            "安全与医疗领域的成品VR课程。",
        ),
        _text(
            "Distributors of training content in China.",
            "Des distributeurs de contenus de formation en Chine.",
            "中国的培训内容分销商。",
        ),
        ["virtual_augmented_reality", "education"],
        "online",
        ("09:00", "18:00"),
    ),
    _sophia(
        "accueil@garoupe.example",
        _text(
            "A soft-landing programme for Chinese founders in Antibes.",
            "Un programme d'accueil des fondateurs chinois à Antibes.",
            "面向中国创业者的安提布落地计划。",
        ),
        _text(
            "Jiangning start-ups and incubators for founder exchanges.",
            "Des start-up et incubateurs de Jiangning pour des échanges de fondateurs.",
            "与江宁初创企业及孵化器开展创业者交流。",
        ),
        ["ai_data", "software"],
        "online",
        ("09:00", "18:00"),
    ),
    _sophia(
        "lin.xiaoyu@garoupe.example",
        _text(
            "Help for Chinese teams settling on the Côte d'Azur, in Chinese.",
            "Un accompagnement en chinois des équipes chinoises qui s'installent sur la Côte "
            "d'Azur.",
            "以中文为中国团队落地蔚蓝海岸提供全程协助。",
        ),
        _text(
            "Deep-tech start-ups ready for a European pilot.",
            "Des start-up deep tech prêtes pour un pilote en Europe.",
            "准备在欧洲开展试点的深科技初创企业。",
        ),
        ["ai_data", "software"],
        "both",
        ("09:00", "18:00"),
        SHANGHAI,
        languages=("zh", "fr", "en"),
    ),
]

JIANGNING = [
    _jiangning(
        "bd@zijin-biopharma.example",
        _text(
            "Diagnostic kits and monoclonal antibodies, made under GMP.",
            "Kits de diagnostic et anticorps monoclonaux produits selon les BPF.",
            "按GMP生产的诊断试剂盒和单克隆抗体。",
        ),
        _text(
            "European partners for CE marking and clinical studies.",
            "Des partenaires européens pour le marquage CE et des études cliniques.",
            "寻求欧洲合作伙伴开展CE认证和临床研究。",
        ),
        ["biotech_health"],
        "both",
        ("09:00", "18:00"),
    ),
    _jiangning(
        "li.na@zijin-biopharma.example",
        _text(
            "Antibody discovery from hybridoma to humanisation.",
            "Découverte d'anticorps, de l'hybridome à l'humanisation.",
            "从杂交瘤到人源化的抗体发现服务。",
        ),
        _text(
            "Academic labs for joint research in cell therapy.",
            "Des laboratoires académiques pour des recherches communes en thérapie cellulaire.",
            "寻找学术实验室开展细胞治疗联合研究。",
        ),
        ["biotech_health"],
        "in_person",
    ),
    _jiangning(
        "zhao.lei@zijin-biopharma.example",
        _text(
            "Clinical-trial operations in Jiangsu hospitals.",
            "Conduite d'essais cliniques dans les hôpitaux du Jiangsu.",
            "在江苏医院开展临床试验的运营能力。",
        ),
        _text(
            "Genomics and bioinformatics partners.",
            "Des partenaires en génomique et bio-informatique.",
            "基因组学与生物信息学合作伙伴。",
        ),
        ["biotech_health", "ai_data"],
        "both",
        ("09:00", "17:30"),
    ),
    _jiangning(
        "sales@smart-sensing.example",
        _text(
            "Industrial IoT sensors and edge gateways, made in Jiangning.",
            "Capteurs IoT industriels et passerelles de bordure, fabriqués à Jiangning.",
            "江宁制造的工业物联网传感器与边缘网关。",
        ),
        _text(
            "European sensor designers to manufacture for.",
            "Des concepteurs européens de capteurs pour qui fabriquer.",
            "寻找需要代工的欧洲传感器设计企业。",
        ),
        ["iot", "microelectronics"],
        "both",
        ("09:00", "18:00"),
    ),
    _jiangning(
        "wu.fang@smart-sensing.example",
        _text(
            "Edge gateways with open firmware interfaces.",
            "Des passerelles de bordure aux interfaces firmware ouvertes.",
            "开放固件接口的边缘网关。",
        ),
        _text(
            "Firmware partners and smart-harbour pilots.",
            "Des partenaires firmware et des pilotes de ports intelligents.",
            "固件合作伙伴及智慧港口试点。",
        ),
        ["iot"],
        "both",
        ("08:30", "17:30"),
    ),
    _jiangning(
        "xu.jian@smart-sensing.example",
        _text(
            "Contract manufacturing of sensor boards.",
            "Fabrication sous-traitée de cartes de capteurs.",
            "传感器电路板代工生产。",
        ),
        _text(
            "Low-power radio designs to produce.",
            "Des conceptions radio basse consommation à produire.",
            "需要量产的低功耗无线设计。",
        ),
        ["iot", "microelectronics"],
        "in_person",
    ),
    _jiangning(
        "office@niic.example",
        _text(
            "A joint laboratory for immersive computing.",
            "Un laboratoire commun en informatique immersive.",
            "共建沉浸式计算联合实验室。",
        ),
        _text(
            "VR studios and European research partners.",
            "Des studios VR et des partenaires de recherche européens.",
            "VR工作室及欧洲科研合作伙伴。",
        ),
        ["virtual_augmented_reality", "ai_data"],
        "both",
        ("09:00", "18:00"),
    ),
    _jiangning(
        "ma.xiaoling@niic.example",
        _text(
            "Digital humans that speak Chinese, English and French.",
            "Des humains numériques qui parlent chinois, anglais et français.",
            "会说中文、英文和法文的数字人。",
        ),
        _text(
            "Training-simulation makers to embed them.",
            "Des créateurs de simulations de formation pour les intégrer.",
            "寻找可集成数字人的培训仿真企业。",
        ),
        ["virtual_augmented_reality"],
        "both",
        ("09:00", "18:00"),
    ),
    _jiangning(
        "gao.yuan@niic.example",
        _text(
            "3D reconstruction of workplaces from video.",
            "Reconstruction 3D de postes de travail à partir de vidéos.",
            "基于视频的工作场景三维重建。",
        ),
        _text(
            "Real-time 3D engines to show our scans.",
            "Des moteurs 3D temps réel pour afficher nos numérisations.",
            "用于展示扫描成果的实时三维引擎。",
        ),
        ["virtual_augmented_reality", "ai_data"],
        "online",
        ("09:00", "18:00"),
    ),
    _jiangning(
        "hello@fangshan-mobility.example",
        _text(
            "Autonomous shuttles for campuses and parks.",
            "Des navettes autonomes pour campus et parcs d'activités.",
            "面向园区和校园的自动驾驶接驳车。",
        ),
        _text(
            "A European technology park for a pilot line.",
            "Un parc technologique européen pour une ligne pilote.",
            "寻找欧洲科技园开展试运营线路。",
        ),
        ["mobility", "ai_data"],
        "both",
        ("09:00", "18:00"),
    ),
    _jiangning(
        "lin.tao@fangshan-mobility.example",
        _text(
            "Fleet supervision software for shuttles.",
            "Un logiciel de supervision de flottes de navettes.",
            "接驳车车队监控软件。",
        ),
        _text(
            "Local partners for operations in France.",
            "Des partenaires locaux pour l'exploitation en France.",
            "在法国运营的本地合作伙伴。",
        ),
        ["mobility", "software"],
        "in_person",
    ),
    _jiangning(
        "contact@moling-micro.example",
        _text(
            "Radio-frequency chips for LoRa, 5G and satellite terminals.",
            "Des puces radiofréquence pour terminaux LoRa, 5G et satellite.",
            "用于LoRa、5G和卫星终端的射频芯片。",
        ),
        _text(
            "Sensor makers to design our chips in.",
            "Des fabricants de capteurs qui intègrent nos puces.",
            "在产品中采用我们芯片的传感器厂商。",
        ),
        ["microelectronics", "telecom"],
        "both",
        ("09:00", "17:30"),
    ),
    _jiangning(
        "yang.qian@moling-micro.example",
        _text(
            "Samples and reference designs of our satellite IoT chip.",
            "Échantillons et conceptions de référence de notre puce IoT satellite.",
            "卫星物联网芯片的样片与参考设计。",
        ),
        _text(
            "Maritime and harbour IoT projects.",
            "Des projets IoT maritimes et portuaires.",
            "海事与港口物联网项目。",
        ),
        ["microelectronics", "iot"],
        "both",
        ("09:00", "18:00"),
    ),
    _jiangning(
        "service@jn-incubator.example",
        _text(
            "Offices and a landing programme in Jiangning.",
            "Des bureaux et un programme d'accueil à Jiangning.",
            "江宁的办公场地与落地计划。",
        ),
        _text(
            "Incubators abroad for founder exchanges.",
            "Des incubateurs à l'étranger pour des échanges de fondateurs.",
            "与海外孵化器开展创业者交流。",
        ),
        ["software", "environment"],
        "both",
        ("09:00", "18:00"),
    ),
    _jiangning(
        "pauline.girard@jn-incubator.example",
        _text(
            "French-speaking support for European start-ups landing in Nanjing.",
            "Un accompagnement en français des start-up européennes qui s'installent à Nankin.",
            "为落地南京的欧洲初创企业提供法语服务。",
        ),
        _text(
            "French start-ups and incubators to bring to Jiangning.",
            "Des start-up et incubateurs français à faire venir à Jiangning.",
            "希望引入江宁的法国初创企业和孵化器。",
        ),
        ["software", "environment"],
        "in_person",
        languages=("fr", "en", "zh"),
    ),
]

PROFILES = [*SOPHIA, *JIANGNING]
EMAILS = [p.email for p in PROFILES]
